/**
 * Publishing to the bus: signal-with-start of the namespace's event router. When it returns,
 * Temporal has recorded the events in the router's history; the router delivers them from there.
 * A batch larger than one signal may carry goes as several signals, in order.
 */
import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { eventRouterWorkflowId, EVENT_ROUTER_WORKFLOW_TYPE, EVENTS_PUBLISHED_METRIC, publishEventsSignal, subscribeEventsSignal } from '../contract/index.ts';
import type { CloudEventJson, EventSubscription } from '../contract/index.ts';

/** Where published events came from, as the published-events counter's `via` label says it. */
export type EventOrigin = 'http' | 'grpc' | 'emit';

export interface EventBus {
  publish(events: readonly CloudEventJson[], via: EventOrigin): Promise<void>;
  subscribe(subscription: EventSubscription): Promise<void>;
}

/**
 * `maxSignalBytes`: the most event JSON one signal carries (keep it under Temporal's blob limit).
 * `meter` counts what was published; nothing is counted without one.
 */
export function createEventBus(client: Client, taskQueue: string, maxSignalBytes: number, meter?: MetricMeter): EventBus {
  const start = { workflowId: eventRouterWorkflowId(taskQueue), taskQueue, args: [] as [] };
  const published = meter?.createCounter(EVENTS_PUBLISHED_METRIC, '1', 'events the bus accepted, by where they came from');
  return {
    async publish(events, via) {
      for (const chunk of chunks(events, maxSignalBytes)) {
        await client.workflow.signalWithStart(EVENT_ROUTER_WORKFLOW_TYPE, { ...start, signal: publishEventsSignal, signalArgs: [chunk] });
        published?.add(chunk.length, { via });
      }
    },
    async subscribe(subscription) {
      await client.workflow.signalWithStart(EVENT_ROUTER_WORKFLOW_TYPE, { ...start, signal: subscribeEventsSignal, signalArgs: [subscription] });
    },
  };
}

function chunks(events: readonly CloudEventJson[], maxBytes: number): CloudEventJson[][] {
  const result: CloudEventJson[][] = [];
  let current: CloudEventJson[] = [];
  let size = 0;
  for (const event of events) {
    const bytes = Buffer.byteLength(JSON.stringify(event));
    if (current.length > 0 && size + bytes > maxBytes) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
