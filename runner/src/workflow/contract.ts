/**
 * The interpreter workflow's public contract: its type name, arguments, queries and signals.
 * Imported by workflow code and by the service alike, so it holds only types and Temporal
 * definitions — nothing that runs.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Plan } from '@baton/dsl';

export const INTERPRETER_WORKFLOW_TYPE = 'batonInterpreter';

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
  readonly callback: { readonly state: CallbackState; readonly lastError?: string };
}

export const statusQuery = defineQuery<ExecutionStatus>('status');
export const pauseSignal = defineSignal<[reason?: string]>('pause');
export const resumeSignal = defineSignal<[reason?: string]>('resume');
/** A retried caller activity brings a new token: deliver the result there instead. */
export const retargetCallbackSignal = defineSignal<[target: CallbackTarget]>('retargetCallback');
