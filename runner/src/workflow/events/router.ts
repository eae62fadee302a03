/**
 * The event router: one long-running workflow per Temporal namespace that holds the listening
 * executions' subscriptions and signals each event to the executions it may concern. Publishers
 * reach it with signal-with-start, so a publisher's acknowledgement means Temporal recorded the
 * event in this workflow's history; from there the deliveries are workflow commands, made once.
 * Nothing is kept for an event nobody waits for: it is counted and dropped. See docs/events.md.
 */
import { condition, continueAsNew, getExternalWorkflowHandle, metricMeter, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  deliverEventSignal,
  eventRouterQuery,
  EVENTS_ROUTED_METRIC,
  MAX_EVENT_SUBSCRIPTIONS,
  publishEventsSignal,
  subscribeEventsSignal,
  unsubscribeEventsSignal,
} from '../../contract/index.ts';
import type { CloudEventJson, EventDelivery, EventRouterCounters, EventRouterState, EventSubscription, RouteFilter } from '../../contract/index.ts';

/** Events remembered by `source id` so a re-published one (an emit activity retried) is routed once. */
export const RECENT_EVENT_IDS = 1_000;

/**
 * The router continues as new past this many history events (or when Temporal suggests it), so
 * its history stays short however many events pass: each event costs one signal event, and each
 * delivery two more.
 */
export const ROUTER_HISTORY_LIMIT = 2_000;

const NO_COUNTS: EventRouterCounters = { received: 0, routed: 0, unmatched: 0, duplicates: 0, deliveries: 0, runs: 0 };

export async function batonEventRouter(carried?: EventRouterState): Promise<void> {
  const subscriptions = new Map<string, EventSubscription>();
  for (const subscription of carried?.subscriptions ?? []) subscriptions.set(subscriptionId(subscription), subscription);
  const recent = new RecentIds(carried?.recent ?? []);
  let counters: EventRouterCounters = { ...(carried?.counters ?? NO_COUNTS), runs: (carried?.counters.runs ?? 0) + 1 };
  // The workflow meter is silent while a history replays, so each event is counted once.
  const routed = metricMeter.createCounter(EVENTS_ROUTED_METRIC, '1', 'events the router received, by what it did with them');
  const queue: CloudEventJson[] = [];
  const refusals: EventSubscription[] = [];

  // Handlers run in history order: a subscription recorded before an event sees that event.
  setHandler(publishEventsSignal, (events) => {
    for (const event of events) queue.push(event);
  });
  setHandler(subscribeEventsSignal, (subscription) => {
    const id = subscriptionId(subscription);
    if (!subscriptions.has(id) && subscriptions.size >= MAX_EVENT_SUBSCRIPTIONS) refusals.push(subscription);
    else subscriptions.set(id, subscription);
  });
  setHandler(unsubscribeEventsSignal, (gone) => {
    subscriptions.delete(subscriptionId(gone));
  });
  setHandler(eventRouterQuery, () => ({
    counters,
    subscriptions: subscriptions.size,
    recent: recent.size,
    queued: queue.length,
    historyLength: workflowInfo().historyLength,
  }));

  for (;;) {
    await condition(() => queue.length > 0 || refusals.length > 0 || wantsContinueAsNew());
    if (queue.length === 0 && refusals.length === 0) break;
    const deliveries: Promise<void>[] = [];
    for (const subscription of refusals.splice(0)) {
      const refusal: EventDelivery = {
        kind: 'refused',
        key: subscription.key,
        reason: `the event router holds ${MAX_EVENT_SUBSCRIPTIONS} subscriptions already`,
      };
      deliveries.push(signal(subscription.workflowId, refusal, () => undefined));
    }
    // One ordered list per subscriber: its events must arrive in the order they were accepted.
    const batches = new Map<string, { keys: string[]; event: CloudEventJson }[]>();
    for (const event of queue.splice(0)) {
      counters = { ...counters, received: counters.received + 1 };
      if (!recent.add(`${event.source} ${event.id}`)) {
        counters = { ...counters, duplicates: counters.duplicates + 1 };
        routed.add(1, { result: 'duplicate' });
        continue;
      }
      const targets = matchingSubscribers(subscriptions.values(), event);
      if (targets.size === 0) {
        counters = { ...counters, unmatched: counters.unmatched + 1 };
        routed.add(1, { result: 'unmatched' });
        continue;
      }
      counters = { ...counters, routed: counters.routed + 1, deliveries: counters.deliveries + targets.size };
      routed.add(1, { result: 'delivered' });
      for (const [workflowId, keys] of targets) {
        const batch = batches.get(workflowId) ?? [];
        batch.push({ keys, event });
        batches.set(workflowId, batch);
      }
    }
    for (const [workflowId, items] of batches) {
      // An execution that ended without unsubscribing (terminated, reset) is forgotten here.
      const forget = () => {
        for (const item of items) for (const key of item.keys) subscriptions.delete(`${workflowId} ${key}`);
      };
      deliveries.push(
        (async () => {
          for (const chunk of bySize(items)) await signal(workflowId, { kind: 'events', items: chunk }, forget);
        })(),
      );
    }
    await Promise.all(deliveries);
  }
  await continueAsNew<typeof batonEventRouter>({ subscriptions: [...subscriptions.values()], recent: recent.list(), counters });
}

/** Most event JSON one delivery signal carries, well under Temporal's 2 MiB payload limit. */
const DELIVERY_BYTES = 512 * 1024;

function bySize<T extends { event: CloudEventJson }>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(item.event).length;
    if (current.length > 0 && size + bytes > DELIVERY_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function wantsContinueAsNew(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= ROUTER_HISTORY_LIMIT;
}

async function signal(workflowId: string, delivery: EventDelivery, onGone: () => void): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(deliverEventSignal, delivery);
  } catch {
    onGone();
  }
}

function subscriptionId(subscription: { readonly workflowId: string; readonly key: string }): string {
  return `${subscription.workflowId} ${subscription.key}`;
}

/** Subscriber workflow id → the keys of its subscriptions whose filters the event passes. */
export function matchingSubscribers(subscriptions: Iterable<EventSubscription>, event: CloudEventJson): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const subscription of subscriptions) {
    if (!subscription.filters.some((filter) => passes(filter, event))) continue;
    const keys = targets.get(subscription.workflowId) ?? [];
    keys.push(subscription.key);
    targets.set(subscription.workflowId, keys);
  }
  return targets;
}

function passes(filter: RouteFilter, event: CloudEventJson): boolean {
  for (const [name, expected] of Object.entries(filter.attributes)) {
    const actual = event[name];
    if (actual === undefined || actual === null || String(actual) !== expected) return false;
  }
  return true;
}

/** A bounded first-in, first-out set of ids. */
class RecentIds {
  private readonly order: string[];
  private readonly members: Set<string>;

  constructor(initial: readonly string[]) {
    this.order = initial.slice(-RECENT_EVENT_IDS);
    this.members = new Set(this.order);
  }

  get size(): number {
    return this.order.length;
  }

  /** False when the id was seen recently. */
  add(id: string): boolean {
    if (this.members.has(id)) return false;
    this.order.push(id);
    this.members.add(id);
    if (this.order.length > RECENT_EVENT_IDS) this.members.delete(this.order.shift()!);
    return true;
  }

  list(): string[] {
    return [...this.order];
  }
}
