/**
 * The failure a caller receives when the execution failed. Pure (no I/O, no clock), so both the
 * sandboxed workflow and the service build it the same way.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { FAILURE_TYPES } from '@baton/proto/failure-types';
import type { WorkflowError } from './interpreter.ts';
import type { CallbackCancellation, CallbackFailure } from './callback.ts';

/**
 * Failure types of executions that ended without a workflow error. Temporal accepts a reported
 * cancellation only when the caller asked for it, so a runner-side cancel reaches the caller as a
 * failure of this type (named like the callers' own `BatonRunner…` types).
 */
export const CANCELLED_FAILURE_TYPE = FAILURE_TYPES.executionCancelled.type;
export const TERMINATED_FAILURE_TYPE = FAILURE_TYPES.executionTerminated.type;

export function callbackFailure(error: WorkflowError, executionId: string, currentTask: string | undefined): CallbackFailure {
  const taskPath = error.instance ?? currentTask;
  return {
    type: error.type,
    message: error.detail ?? error.title ?? error.type,
    // A workflow failure is a result, not an outage: the caller retrying its activity would run it again.
    nonRetryable: true,
    details: {
      workflow_execution_id: executionId,
      status: error.status,
      ...(taskPath === undefined ? {} : { task_path: taskPath }),
      ...(error.title === undefined ? {} : { title: error.title }),
      ...(error.detail === undefined ? {} : { detail: error.detail }),
    },
  };
}

/** The ApplicationFailure the caller's activity is failed with (caller/src/errors.ts reads it back). */
export function callerFailure(failure: CallbackFailure): ApplicationFailure {
  return ApplicationFailure.create({
    type: failure.type,
    message: failure.message,
    details: [failure.details],
    nonRetryable: failure.nonRetryable,
  });
}

/**
 * A runner-side cancellation as a failure: Temporal accepts a reported cancellation only when the
 * caller asked for one, and a failure only as an ApplicationFailure.
 */
export function cancelledCallerFailure(cancellation: CallbackCancellation): ApplicationFailure {
  const reason = cancellation.reason ? `: ${cancellation.reason}` : '';
  return ApplicationFailure.create({
    type: CANCELLED_FAILURE_TYPE,
    message: `execution ${cancellation.workflow_execution_id} was cancelled${reason}`,
    details: [{ ...cancellation, status: 499, title: 'Execution cancelled' }],
    nonRetryable: true,
  });
}
