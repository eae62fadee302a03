/**
 * The event bus's wire between the runner and workflow code: the event as it travels (a
 * CloudEvents 1.0 event in the JSON format), the router workflow's signals and query, and the
 * delivery signal a listening execution receives. See docs/events.md for the design.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * A CloudEvents 1.0 event in its JSON format (structured mode): the context attributes, and the
 * data as `data` (JSON) or `data_base64` (binary). Extension attributes are strings, numbers or
 * booleans; the runner checked the event before it entered Temporal.
 */
export interface CloudEventJson {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time?: string;
  readonly subject?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: unknown;
  readonly data_base64?: string;
  readonly [extension: string]: unknown;
}

/**
 * The one router workflow of a runner deployment (its Temporal namespace and task queue, which all
 * its replicas share): every publisher signals it, by this id, and it runs on that task queue.
 */
export function eventRouterWorkflowId(taskQueue: string): string {
  return `baton-event-router/${taskQueue}`;
}
export const EVENT_ROUTER_WORKFLOW_TYPE = 'batonEventRouter';

/**
 * What the router needs of a listening task to know whether an event may concern it: for each of
 * the task's event filters, the attributes whose value it knows at subscription time (every
 * attribute but `data`). The subscriber checks the rest (data, correlation) itself.
 */
export interface RouteFilter {
  readonly attributes: Readonly<Record<string, string>>;
}

export interface EventSubscription {
  /** The listening execution (its workflow id: deliveries follow it across continue-as-new). */
  readonly workflowId: string;
  /** Unique within the execution: one per listen task run. */
  readonly key: string;
  /** An event matching any of them is delivered; an empty list matches nothing. */
  readonly filters: readonly RouteFilter[];
}

export interface EventUnsubscription {
  readonly workflowId: string;
  readonly key: string;
}

/** The router's state, carried across its continue-as-new. */
export interface EventRouterState {
  readonly subscriptions: readonly EventSubscription[];
  /** `source id` of the most recent events, newest last: a re-published event is routed once. */
  readonly recent: readonly string[];
  readonly counters: EventRouterCounters;
}

export interface EventRouterCounters {
  /** Events accepted by the router since it was first started. */
  readonly received: number;
  /** Events delivered to at least one subscriber. */
  readonly routed: number;
  /** Events no subscription matched: dropped (counted, never kept). */
  readonly unmatched: number;
  /** Re-publications of an event already routed (same source and id), ignored. */
  readonly duplicates: number;
  /** Signals to subscribers (one per execution and event). */
  readonly deliveries: number;
  /** Runs of the router (continue-as-new count + 1). */
  readonly runs: number;
}

export interface EventRouterSnapshot {
  readonly counters: EventRouterCounters;
  readonly subscriptions: number;
  readonly recent: number;
  /** Events accepted but not routed yet. */
  readonly queued: number;
  readonly historyLength: number;
}

export const publishEventsSignal = defineSignal<[readonly CloudEventJson[]]>('batonPublishEvents');
export const subscribeEventsSignal = defineSignal<[EventSubscription]>('batonSubscribeEvents');
export const unsubscribeEventsSignal = defineSignal<[EventUnsubscription]>('batonUnsubscribeEvents');
export const eventRouterQuery = defineQuery<EventRouterSnapshot>('batonEventRouter');


/**
 * What a listening execution receives: events in the order the router accepted them, each with the
 * subscriptions it may match, or the router's refusal of a subscription (it holds at most
 * MAX_EVENT_SUBSCRIPTIONS). Events travel together because separate signals may arrive out of order.
 */
export type EventDelivery =
  | { readonly kind: 'events'; readonly items: readonly { readonly keys: readonly string[]; readonly event: CloudEventJson }[] }
  | { readonly kind: 'refused'; readonly key: string; readonly reason: string };
export const deliverEventSignal = defineSignal<[EventDelivery]>('batonDeliverEvent');

/**
 * Subscriptions the router holds at once. They travel whole through its continue-as-new, whose
 * input must stay well under Temporal's 2 MiB payload limit.
 */
export const MAX_EVENT_SUBSCRIPTIONS = 2_000;


/** The activities of the event bus the workflows schedule. */
export interface EventActivities {
  /** Registers a subscription with the router, starting the router when none runs. */
  subscribeEvents(subscription: EventSubscription): Promise<void>;
  /** Publishes an emitted event to the bus and to the configured sinks (idempotent on its id). */
  emitEvent(request: EmitEventRequest): Promise<EmitEventResult>;
}
export const SUBSCRIBE_EVENTS_ACTIVITY_TYPE = 'subscribeEvents';
export const EMIT_EVENT_ACTIVITY_TYPE = 'emitEvent';

export interface EmitEventRequest {
  readonly event: CloudEventJson;
  readonly taskReference: string;
}

export interface EmitEventResult {
  /** Sinks that accepted the event, by URL. */
  readonly sinks: readonly string[];
}
