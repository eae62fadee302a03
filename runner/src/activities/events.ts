/**
 * The event bus's activities: registering a listening task's subscription with the router, and
 * emitting an event (to the bus, then to every configured sink). Both are idempotent: the router
 * keys subscriptions by execution and key and routes an event id once, and a sink that already
 * accepted the event (recorded in the heartbeat details) is not sent it again on a retry.
 */
import { CloudEvent, HTTP } from 'cloudevents';
import { EVENT_SINK_DELIVERIES_METRIC } from '../contract/index.ts';
import type { EventActivities, EmitEventRequest, EmitEventResult, EventSubscription } from '../contract/index.ts';
import { createEgressClient } from '../egress/index.ts';
import type { EgressPolicy } from '../egress/index.ts';
import type { EventBus } from '../events/index.ts';
import { activityContext, callFailure } from './call-policy.ts';

export interface EventActivityOptions {
  readonly bus: EventBus;
  readonly sinks: readonly string[];
  readonly egress: EgressPolicy;
  readonly maxEventBytes: number;
}

/** How much of a sink's answer is read (only its status matters). */
const SINK_RESPONSE_BYTES = 64 * 1024;

export function createEventActivities(options: EventActivityOptions): EventActivities {
  const egress = createEgressClient(options.egress);
  return {
    async subscribeEvents(subscription: EventSubscription): Promise<void> {
      await options.bus.subscribe(subscription);
    },

    async emitEvent({ event, taskReference }: EmitEventRequest): Promise<EmitEventResult> {
      const bytes = Buffer.byteLength(JSON.stringify(event));
      if (bytes > options.maxEventBytes) {
        throw callFailure({ kind: 'runtime', status: 413, title: 'Event too large', detail: `the event is ${bytes} bytes as JSON, over the runner's limit of ${options.maxEventBytes} (--max-event-bytes)`, instance: taskReference });
      }
      await options.bus.publish([event], 'emit');
      const context = activityContext();
      const done = new Set<string>(asStrings(context?.info.heartbeatDetails));
      const sinkDeliveries = context?.metricMeter.createCounter(EVENT_SINK_DELIVERIES_METRIC, '1', 'attempts to post an emitted event to a sink, by outcome');
      // The SDK writes the structured mode; the event was checked when the task built it.
      const message = HTTP.structured(new CloudEvent({ ...event }, false));
      for (const sink of options.sinks) {
        if (done.has(sink)) continue;
        const response = await egress
          .request(new URL(sink), {
            method: 'POST',
            headers: new Headers(message.headers as Record<string, string>),
            body: String(message.body),
            followRedirects: false,
            maxResponseBytes: SINK_RESPONSE_BYTES,
            ...(context ? { signal: context.cancellationSignal } : {}),
          })
          .catch((error: unknown) => {
            sinkDeliveries?.add(1, { outcome: 'unreachable' });
            throw callFailure({ kind: 'communication', status: 503, title: 'Event sink unreachable', detail: `${sink}: ${error instanceof Error ? error.message : String(error)}`, instance: taskReference, retryable: true });
          });
        if (response.status < 200 || response.status > 299) {
          sinkDeliveries?.add(1, { outcome: 'refused' });
          throw callFailure({ kind: 'communication', status: response.status, title: 'Event sink refused the event', detail: `${sink} answered ${response.status}`, instance: taskReference, retryable: true });
        }
        sinkDeliveries?.add(1, { outcome: 'accepted' });
        done.add(sink);
        context?.heartbeat([...done]);
      }
      return { sinks: [...done] };
    },
  };
}

function asStrings(details: unknown): string[] {
  return Array.isArray(details) ? details.filter((item): item is string => typeof item === 'string') : [];
}
