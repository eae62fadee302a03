/**
 * "Cancel always wins": a cancellation request is honoured at every task start and at every
 * continue-as-new, not only when the interpreter happens to await a timer or an activity.
 *
 * A cancellation reaches the workflow as an activation job (the service's cancelExecution sends a
 * Temporal cancel request, after a batonCancel update carrying the reason) that cancels the root scope and
 * with it the scope running the plan. Pure control flow awaits nothing that scope cancels, so
 * before this check a loop without I/O ran on and even continued as new, leaving the request
 * behind in the old run.
 */
import { CancellationScope, CancelledFailure, patched } from '@temporalio/workflow';

/**
 * Histories recorded before the check may show an execution that went on after a cancel request;
 * they replay without it. The marker is written only when a cancellation is actually pending, so
 * executions that are never cancelled carry no extra event.
 */
export const CANCEL_ALWAYS_WINS_PATCH = 'baton-cancel-always-wins';

/** True when the current scope has been cancelled and the interpreter should stop here. */
export function cancellationPending(): boolean {
  return CancellationScope.current().consideredCancelled && patched(CANCEL_ALWAYS_WINS_PATCH);
}

/** Throws the cancellation a pending request stands for; the execution then ends CANCELLED. */
export function throwIfCancelled(): void {
  if (cancellationPending()) throw new CancelledFailure('the execution was cancelled');
}
