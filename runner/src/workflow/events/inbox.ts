/**
 * Where the router's deliveries land in a listening execution: one signal handler for the whole
 * execution, dispatching each event to the open subscriptions it names. A delivery for a
 * subscription no longer open (its task ended) is dropped.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { deliverEventSignal } from '../../contract/index.ts';
import type { CloudEventJson } from '../../contract/index.ts';

export interface InboxSubscription {
  readonly key: string;
  /** Events in arrival order, not yet taken. */
  readonly events: CloudEventJson[];
  /** Set when the router refused the subscription. */
  refusal?: string;
  close(): void;
}

const open = new Map<string, InboxSubscription>();
let opened = 0;

export function installEventInbox(): void {
  setHandler(deliverEventSignal, (delivery) => {
    if (delivery.kind === 'refused') {
      const subscription = open.get(delivery.key);
      if (subscription) subscription.refusal = delivery.reason;
      return;
    }
    for (const item of delivery.items) for (const key of item.keys) open.get(key)?.events.push(item.event);
  });
}

/** A subscription key unique to this run of this task: the run id keeps keys of earlier runs apart. */
export function openInbox(taskReference: string): InboxSubscription {
  const key = `${workflowInfo().runId}${taskReference}#${++opened}`;
  const subscription: InboxSubscription = { key, events: [], close: () => open.delete(key) };
  open.set(key, subscription);
  return subscription;
}
