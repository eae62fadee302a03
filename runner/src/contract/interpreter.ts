/**
 * The interpreter workflow's public contract: its type name, arguments, queries and signals.
 * Imported by workflow code and by the service alike, so it holds only types and Temporal
 * definitions — nothing that runs.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Plan } from '@baton/dsl/runtime';

import type { CallerAction } from './callback.ts';

export const INTERPRETER_WORKFLOW_TYPE = 'batonInterpreter';
/** Delivers to a caller on behalf of an execution that can no longer do it itself. */
export const CALLBACK_DELIVERY_WORKFLOW_TYPE = 'batonCallbackDelivery';

/**
 * Where the result goes when the execution ends. The caller's task token is a bearer credential,
 * so only its sealed form (encrypted by the service, opened by the callback activities outside
 * the sandbox) ever enters workflow history.
 */
export interface CallbackTarget {
  readonly sealedToken: string;
  /** The caller's Temporal namespace; empty means the runner's own. */
  readonly namespace: string;
  /** Base64 of the token's first bytes, safe for logs and status. */
  readonly tokenHint: string;
  /** How often the runner heartbeats the caller's activity while the execution runs (default 10 s). */
  readonly heartbeatIntervalMs?: number;
}

export interface InterpreterArgs {
  readonly executionId: string;
  readonly plan: Plan;
  readonly input: unknown;
  /**
   * The document as the caller wrote it, for people reading the execution (the execution page);
   * the interpreter never reads it. Absent when started by reference or larger than the service keeps.
   */
  readonly source?: string;
  readonly callback?: CallbackTarget;
  /** Other documents `run: workflow` may start, keyed `namespace/name/version`. */
  readonly catalogue?: Readonly<Record<string, Plan>>;
  /** Limits set by the runner's configuration; absent means the defaults. */
  readonly limits?: InterpreterConfiguredLimits;
  /** Zigflow's `$env`: the operator-configured map (docs/zigflow.md); absent means empty. */
  readonly env?: Readonly<Record<string, string>>;
  /** State carried over a continue-as-new; absent on the first run. */
  readonly carried?: unknown;
}

export interface InterpreterConfiguredLimits {
  /** Largest value (as JSON, in bytes) that may enter history: task outputs, activity and child inputs, results. */
  readonly maxPayloadBytes?: number;
}

export type ExecutionPhase = 'PENDING' | 'IN_PROGRESS' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type TaskPhase = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
export type CallbackState = 'NONE' | 'PENDING' | 'COMPLETED' | 'FAILED_DELIVERY' | 'LOST';

/** An RFC 7807 problem, as the spec's workflow errors are. */
export interface WorkflowError {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly instance?: string;
}

export interface TaskEntry {
  readonly name: string;
  /** The spec's task reference (`/do/1/fetchUser`); unique per execution attempt of the task. */
  readonly path: string;
  readonly kind: string;
  readonly phase: TaskPhase;
  /** ISO 8601 from workflow time. */
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly error?: WorkflowError;
  /** What the task waits for while it runs (a `listen`); absent otherwise. */
  readonly awaiting?: TaskAwaiting;
}

/** What a waiting task waits for: CloudEvents (a `listen`) or Temporal messages (Zigflow's `listen`). */
export type TaskAwaiting =
  | {
      readonly kind: 'events';
      readonly strategy: 'one' | 'any' | 'all';
      /** One per event filter: the attributes the router matches, and whether data or correlation is checked too. */
      readonly filters: readonly { readonly attributes: Readonly<Record<string, string>>; readonly checksData: boolean }[];
    }
  | { readonly kind: 'messages'; readonly strategy: 'all' | 'any'; readonly signals: readonly string[]; readonly updates: readonly string[] };

/**
 * What a waiting task waits for in words, the same in `baton status` and on the execution page:
 * "waiting for one event {type=order.placed, source=/shop}", "waiting for any of signal approve, update reject".
 */
export function awaitingText(awaiting: TaskAwaiting): string {
  if (awaiting.kind === 'messages') {
    const messages = [...awaiting.signals.map((name) => `signal ${name}`), ...awaiting.updates.map((name) => `update ${name}`)];
    return `waiting for ${awaiting.strategy === 'any' ? 'any of' : 'all of'} ${messages.join(', ')}`;
  }
  if (awaiting.filters.length === 0) return 'waiting for any event';
  const filters = awaiting.filters.map((filter) => {
    const attributes = Object.entries(filter.attributes).map(([name, value]) => `${name}=${value}`);
    if (filter.checksData) attributes.push('data…');
    return `{${attributes.join(', ')}}`;
  });
  const count = awaiting.strategy === 'all' ? `all of ${filters.length} events` : awaiting.strategy === 'any' ? 'an event matching any of' : 'one event';
  return `waiting for ${count} ${filters.join(' ')}`;
}

export interface ExecutionStatus {
  readonly executionId: string;
  readonly phase: ExecutionPhase;
  readonly currentTask?: string;
  readonly tasks: readonly TaskEntry[];
  readonly output?: unknown;
  readonly error?: WorkflowError;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly callback: CallbackReport;
}

/** What the status query shows about the callback. */
export interface CallbackReport {
  readonly state: CallbackState;
  readonly lastError?: string;
  /**
   * The newest target's sealed token (already in history, and useless without the runner's key):
   * lets any replica tell a repeated caller from a new one after the end, without decoding history.
   */
  readonly sealedToken?: string;
  readonly namespace?: string;
}

export const statusQuery = defineQuery<ExecutionStatus>('status');

/**
 * The memo field where a closed execution keeps its final ExecutionStatus (callback report
 * included), so a read of it needs only Temporal's describe: the status query of a closed workflow
 * makes a worker replay its whole history. Absent for executions that ended before it was
 * recorded, were terminated, or whose status is too large for a memo: read those with the query.
 */
export const FINAL_STATUS_MEMO_KEY = 'batonFinalStatus';

/**
 * Changes to a running execution are Updates: the workflow's validator accepts or rejects each one
 * atomically, against its own state, so two replicas (or a change racing the end) cannot act on a
 * stale read. A rejection is an ApplicationFailure of type UPDATE_REJECTED_FAILURE_TYPE whose first
 * detail is an UpdateRejection.
 */
export const pauseUpdate = defineUpdate<ExecutionPhase, [reason: string]>('batonPause');
export const resumeUpdate = defineUpdate<ExecutionPhase, [reason: string]>('batonResume');
/** Records the operator's reason for the caller; the service then asks Temporal to cancel. */
export const cancelUpdate = defineUpdate<void, [reason: string]>('batonCancel');
/** A retried caller activity brings a new token: deliver the result there instead. */
export const retargetCallbackUpdate = defineUpdate<{ readonly retargeted: boolean }, [target: CallbackTarget]>('batonRetargetCallback');
/**
 * Before a forced cancel (terminate): freezes the callback target (no re-targeting after it) and
 * returns it, so durable code can fail that caller once the workflow is terminated.
 */
export const prepareTerminationUpdate = defineUpdate<CallbackTarget | null, [reason: string]>('batonPrepareTermination');

/**
 * How the run an awaitEndUpdate waited on ended: with the execution's final status (the same one
 * the memo records), or with why the caller must read it instead: the execution continued as new
 * (it goes on in the next run), or its status is too large to answer with.
 */
export type RunEnding =
  | { readonly kind: 'ended'; readonly status: ExecutionStatus }
  | { readonly kind: 'continued' }
  | { readonly kind: 'too-large' };

/**
 * Sent with the start by `execute` (update-with-start) and answered when the run ends: the final
 * status comes back in the same exchange with Temporal that started the execution, where awaiting
 * the result and then reading the execution would cost a describe more.
 */
export const awaitEndUpdate = defineUpdate<RunEnding, []>('batonAwaitEnd');

export const UPDATE_REJECTED_FAILURE_TYPE = 'BatonUpdateRejected';

export type UpdateRejection =
  /** The execution has ended (or is delivering its outcome): nothing about it can change. */
  | { readonly reason: 'ended'; readonly phase: ExecutionPhase }
  /** A forced cancel is under way: the execution is about to be terminated. */
  | { readonly reason: 'terminating' };

/**
 * Signals of executions started before the Updates above: still handled so that they, and
 * recorded histories, replay; the service no longer sends them.
 */
export const pauseSignal = defineSignal<[reason?: string]>('pause');
export const resumeSignal = defineSignal<[reason?: string]>('resume');
export const retargetCallbackSignal = defineSignal<[target: CallbackTarget]>('retargetCallback');

export interface CallbackDeliveryArgs {
  readonly executionId: string;
  readonly target: CallbackTarget;
  readonly action: CallerAction;
  /** A forced cancel: terminate the execution first, and deliver only if it ended terminated. */
  readonly terminateReason?: string;
}
