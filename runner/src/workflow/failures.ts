/**
 * Temporal failures from activities and child workflows turned back into Serverless Workflow
 * errors. Our own activities and child interpreters put the WorkflowError in the failure's
 * details; anything else gets the standard error that fits.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TimeoutFailure, isCancellation } from '@temporalio/workflow';
import { problemOf, workflowError, WorkflowErrorException, withInstance } from '../contract/index.ts';

/** Returns the SW error for a failure, or rethrows cancellations and anything unrecognised. */
export function toWorkflowError(error: unknown, instance: string, kind: 'communication' | 'runtime'): WorkflowErrorException {
  if (isCancellation(error)) throw error;
  if (!(error instanceof ActivityFailure || error instanceof ChildWorkflowFailure)) throw error;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const carried = problemOf(cause);
    if (carried) return new WorkflowErrorException(withInstance(carried, instance));
    return workflowError(kind, { title: cause.type ?? 'Failure', detail: cause.message, instance });
  }
  if (cause instanceof TimeoutFailure) {
    return workflowError('timeout', { title: 'Timeout', detail: `${cause.timeoutType} timeout: ${error.message}`, instance });
  }
  return workflowError(kind, { title: 'Failure', detail: cause?.message ?? error.message, instance });
}
