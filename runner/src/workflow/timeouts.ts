/**
 * Task, attempt and workflow timeouts: the work runs in its own cancellation scope beside a
 * durable timer; when the timer wins, the work's activities and timers are cancelled and the
 * spec's timeout error (408) replaces the cancellation.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';
import { workflowError } from '../contract/index.ts';
import type { WorkflowErrorException } from '../contract/index.ts';

export async function withTimeout<T>(
  ms: number,
  label: string,
  work: () => Promise<T>,
  timeoutError: () => WorkflowErrorException,
): Promise<T> {
  const workScope = new CancellationScope();
  const timerScope = new CancellationScope();
  let timedOut = false;
  const timer = timerScope
    .run(() => sleep(Math.max(1, ms), { summary: `timeout ${label}` }))
    .then(
      () => {
        timedOut = true;
        workScope.cancel();
      },
      () => undefined,
    );
  try {
    return await workScope.run(work);
  } catch (error) {
    if (timedOut) throw timeoutError();
    throw error;
  } finally {
    if (!timedOut) timerScope.cancel();
    await timer;
  }
}

export function timeoutError(what: string, ms: number, instance: string): WorkflowErrorException {
  return workflowError('timeout', {
    title: 'Timeout',
    detail: `${what} did not finish within ${ms} ms`,
    instance,
  });
}
