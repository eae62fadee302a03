/**
 * How a hand-off to the runner can end badly, as values a calling workflow branches on.
 *
 * Imports only `@temporalio/common` and the failure-type table of `@baton/proto` (plain data), so
 * it is safe in workflow code (the sandbox) and in the activity alike.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/common';
import type { TimeoutType } from '@temporalio/common';
import { FAILURE_TYPES } from '@baton/proto/failure-types';

/** ApplicationFailure types the caller's own activity raises (the runner's failures carry the workflow error's type). */
export const CallerFailureType = {
  /** The runner refused the request (bad YAML, bad input, unknown namespace...): retrying won't help. */
  rejected: FAILURE_TYPES.runnerRejected.type,
  /** The runner could not be reached or did not answer: retried by the activity's retry policy. */
  unreachable: FAILURE_TYPES.runnerUnreachable.type,
  /** The activity's own arguments are malformed (caught before any call to the runner). */
  invalidArgs: FAILURE_TYPES.invalidCallerArgs.type,
} as const;

/** Failure types the runner uses for executions that ended without a workflow error. */
export const RunnerFailureType = {
  /** cancelExecution on the runner: Temporal only accepts a reported cancellation the caller asked for. */
  executionCancelled: FAILURE_TYPES.executionCancelled.type,
  /** cancelExecution with force: terminated without cleanup. */
  executionTerminated: FAILURE_TYPES.executionTerminated.type,
} as const;

/** The failure details the runner attaches when the YAML workflow fails (raise, call error...). */
export interface RunnerFailure {
  /** The workflow error's type, a URI such as `https://serverlessworkflow.io/spec/1.0.0/errors/validation`. */
  readonly type: string;
  readonly message: string;
  readonly workflowExecutionId: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  /** The task that raised it, e.g. `/do/1/reject`. */
  readonly taskPath?: string;
}

/** Why the runner refused a request: the gRPC status, as the runner sent it. */
export interface RunnerRejection {
  /** The gRPC status name, e.g. `INVALID_ARGUMENT`. */
  readonly code: string;
  readonly message: string;
}

/** Everything that can make `executeOnRunner` throw, classified. */
export type RunnerError =
  | { readonly kind: 'failed'; readonly failure: RunnerFailure }
  | { readonly kind: 'rejected'; readonly rejection: RunnerRejection }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'invalid-args'; readonly message: string }
  /**
   * The execution was cancelled: `caller` when the calling workflow cancelled the activity (the
   * runner confirmed through the heartbeat), `runner` when someone called cancelExecution.
   */
  | { readonly kind: 'cancelled'; readonly by: 'caller' | 'runner'; readonly message: string; readonly workflowExecutionId?: string }
  /** The execution was terminated on the runner (cancelExecution with force). */
  | { readonly kind: 'terminated'; readonly message: string; readonly workflowExecutionId?: string }
  /** The activity ran out of time; `HEARTBEAT` means the runner stopped heartbeating (down or lost). */
  | { readonly kind: 'timed-out'; readonly timeoutType: TimeoutType | undefined; readonly message: string }
  /** A failure neither the caller nor the runner produces (e.g. an interceptor's): read `message`. */
  | { readonly kind: 'unexpected'; readonly message: string };

/**
 * Classifies what `executeOnRunner` threw. Returns undefined for anything that is not an activity
 * failure (rethrow those).
 */
export function runnerErrorOf(error: unknown): RunnerError | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (cause instanceof CancelledFailure) {
    const id = stringField(firstDetail(cause.details), 'workflow_execution_id');
    return { kind: 'cancelled', by: 'caller', message: cause.message, ...(id === undefined ? {} : { workflowExecutionId: id }) };
  }
  if (cause instanceof TimeoutFailure) {
    return { kind: 'timed-out', timeoutType: cause.timeoutType, message: cause.message };
  }
  if (!(cause instanceof ApplicationFailure)) return { kind: 'unexpected', message: cause?.message ?? error.message };
  const id = stringField(firstDetail(cause.details), 'workflow_execution_id');
  const withId = id === undefined ? {} : { workflowExecutionId: id };
  switch (cause.type) {
    case RunnerFailureType.executionCancelled:
      return { kind: 'cancelled', by: 'runner', message: cause.message, ...withId };
    case RunnerFailureType.executionTerminated:
      return { kind: 'terminated', message: cause.message, ...withId };
    case CallerFailureType.rejected: {
      const code = stringField(firstDetail(cause.details), 'code') ?? 'UNKNOWN';
      return { kind: 'rejected', rejection: { code, message: cause.message } };
    }
    case CallerFailureType.unreachable:
      return { kind: 'unreachable', message: cause.message };
    case CallerFailureType.invalidArgs:
      return { kind: 'invalid-args', message: cause.message };
  }
  const failure = runnerFailureOf(cause);
  return failure ? { kind: 'failed', failure } : { kind: 'unexpected', message: cause.message };
}

/** Reads the runner's failure details from the ApplicationFailure it failed the activity with. */
export function runnerFailureOf(failure: ApplicationFailure): RunnerFailure | undefined {
  const details = firstDetail(failure.details);
  const workflowExecutionId = stringField(details, 'workflow_execution_id');
  if (!failure.type || workflowExecutionId === undefined) return undefined;
  const status = details?.['status'];
  const title = stringField(details, 'title');
  const detail = stringField(details, 'detail');
  const taskPath = stringField(details, 'task_path');
  return {
    type: failure.type,
    message: failure.message,
    workflowExecutionId,
    status: typeof status === 'number' ? status : 0,
    ...(title === undefined ? {} : { title }),
    ...(detail === undefined ? {} : { detail }),
    ...(taskPath === undefined ? {} : { taskPath }),
  };
}

function firstDetail(details: readonly unknown[] | null | undefined): Record<string, unknown> | undefined {
  const first = details?.[0];
  return typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}
