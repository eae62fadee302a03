/**
 * The failure a caller receives when the execution failed. Pure (no I/O, no clock), so both the
 * sandboxed workflow and the service build it the same way.
 */
import type { WorkflowError } from '../../workflow/contract.ts';
import type { CallbackFailure } from './types.ts';

/**
 * Failure types of executions that ended without a workflow error. Temporal accepts a reported
 * cancellation only when the caller asked for it, so a runner-side cancel reaches the caller as a
 * failure of this type (named like the callers' own `BatonRunner…` types).
 */
export const CANCELLED_FAILURE_TYPE = 'BatonExecutionCancelled';
export const TERMINATED_FAILURE_TYPE = 'BatonExecutionTerminated';

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
