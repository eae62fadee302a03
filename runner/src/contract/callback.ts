/**
 * The callback system activities' signatures and payloads. Types only, so the sandboxed workflow
 * code can import them without pulling the Temporal client in.
 */
import type { CallbackTarget } from './interpreter.ts';

/**
 * Sent by the watcher to its own execution just before it asks Temporal to cancel it, so the
 * execution knows the cancellation came from the caller (an internal signal, not part of the API).
 */
export const CALLER_CANCELLED_SIGNAL = 'batonCallerCancelled';

/** Sent by the service just before cancelling an execution, so the caller learns the operator's reason. */
export const CANCEL_REASON_SIGNAL = 'batonCancelReason';

/** What a delivery attempt left the callback as. Transient errors are thrown (and retried) instead. */
export type DeliveryReport =
  | { readonly state: 'COMPLETED' }
  /** The caller's activity is gone (timed out, finished, or an older attempt): final. */
  | { readonly state: 'LOST'; readonly error: string }
  /** The token can't be used at all (garbage, wrong key, rejected by the server): final. */
  | { readonly state: 'FAILED_DELIVERY'; readonly error: string };

/** The workflow failure as the caller receives it: an ApplicationFailure built from these fields. */
export interface CallbackFailure {
  readonly type: string;
  readonly message: string;
  readonly nonRetryable: boolean;
  readonly details: {
    readonly workflow_execution_id: string;
    readonly task_path?: string;
    readonly status: number;
    readonly title?: string;
    readonly detail?: string;
  };
}

export interface CallbackCancellation {
  readonly workflow_execution_id: string;
  readonly reason?: string;
}

/** What to tell the caller's parked activity. */
export type CallerAction =
  | { readonly kind: 'complete'; readonly output: unknown }
  | { readonly kind: 'fail'; readonly failure: CallbackFailure }
  | { readonly kind: 'cancel'; readonly cancellation: CallbackCancellation };

/** How a termination request went: only an execution that ended terminated owes its caller a failure. */
export type TerminationResult = 'terminated' | 'ended-otherwise';

/** Why the watcher stopped heartbeating the caller on its own (it is otherwise cancelled by the workflow). */
export type WatchEnding =
  /** `executionCancelRequested`: the watcher asked Temporal to cancel the execution (else the workflow must). */
  | { readonly kind: 'caller-cancelled'; readonly executionCancelRequested: boolean }
  | { readonly kind: 'caller-gone'; readonly error: string }
  | { readonly kind: 'undeliverable'; readonly error: string };

export interface CallbackActivities {
  completeCallback(target: CallbackTarget, output: unknown): Promise<DeliveryReport>;
  failCallback(target: CallbackTarget, failure: CallbackFailure): Promise<DeliveryReport>;
  cancelCallback(target: CallbackTarget, cancellation: CallbackCancellation): Promise<DeliveryReport>;
  /** A delivery on behalf of another execution (late tokens, forced cancels): the callback delivery workflow's. */
  deliverCallback(executionId: string, target: CallbackTarget, action: CallerAction): Promise<DeliveryReport>;
  /** Terminates the execution (idempotent: an execution already terminated counts as done). */
  terminateExecution(executionId: string, reason: string): Promise<TerminationResult>;
  /** Heartbeats the caller's activity every `intervalMs` until cancelled or the caller stops listening. */
  watchCaller(target: CallbackTarget, intervalMs: number): Promise<WatchEnding>;
}
