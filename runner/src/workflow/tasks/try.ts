import { sleep } from '@temporalio/workflow';
import type { CatchSpec, TryTask } from '@baton/dsl/runtime';
import type { WorkflowError } from '../../contract/index.ts';
import { errorTypeMatches, inDocumentForm, WorkflowErrorException } from '../../contract/index.ts';
import type { Execution } from '../interpreter.ts';
import { mayRetry, retryDelayMs } from '../retry.ts';
import { timeoutError, withTimeout } from '../timeouts.ts';
import type { TaskHandler, TaskOutcome, TaskRun } from './types.ts';

/**
 * Runs `try`; a workflow error that passes the catch filters (`errors.with`, `when`,
 * `exceptWhen`) is caught. With a retry policy that accepts it, `try` runs again after the
 * policy's delay. A caught error runs `catch.do` (output: its output) or, without `catch.do`,
 * resumes with the task's input. When retries run out and there is no `catch.do`, the last
 * error propagates: a retry policy says "this should eventually succeed", so exhausting it is
 * a failure, not a silent success. Cancellations are never caught.
 */
export const runTry: TaskHandler<TryTask> = (run) => run.execution.unsafe(() => attempt(run));

async function attempt(run: TaskRun<TryTask>): Promise<TaskOutcome> {
  const { task, input, scope, execution } = run;
  const policy = task.catch.retry;
  const firstStartedAtMs = Date.now();
  for (let attempts = 1; ; attempts++) {
    try {
      const body = () => execution.runList(task.try, input, scope);
      const attemptLimit = policy?.limit.attemptDurationMs;
      const result = attemptLimit
        ? await withTimeout(attemptLimit, task.reference, body, () =>
            timeoutError(`attempt ${attempts} of ${task.reference}`, attemptLimit, task.reference),
          )
        : await body();
      return { output: result.output, ended: result.ended };
    } catch (error) {
      if (!(error instanceof WorkflowErrorException)) throw error;
      // `when` filters compare $error.type with the form the document writes.
      const problem = inDocumentForm(error.error, execution.plan);
      const locals = { ...scope.locals, [task.catch.as]: problem };
      if (!caught(task.catch, problem, run, locals, execution)) throw error;
      if (policy && retryAccepts(task, run, locals, execution)) {
        const delay = retryDelayMs(policy, attempts);
        if (mayRetry(policy, attempts, firstStartedAtMs, delay, Date.now())) {
          if (delay > 0) await sleep(delay, { summary: `retry ${task.reference} #${attempts}` });
          continue;
        }
        if (!task.catch.do) throw error;
      }
      if (!task.catch.do) return { output: input };
      const handled = await execution.runList(task.catch.do, input, { locals });
      return { output: handled.output, ended: handled.ended };
    }
  }
}

function caught(
  spec: CatchSpec,
  error: WorkflowError,
  run: TaskRun<TryTask>,
  locals: Record<string, unknown>,
  execution: Execution,
): boolean {
  const filter = spec.with;
  if (filter) {
    if (filter.type !== undefined && !errorTypeMatches(filter.type, error.type, execution.plan.errorTypeForm)) return false;
    if (filter.status !== undefined && filter.status !== error.status) return false;
    if (filter.instance !== undefined && filter.instance !== error.instance) return false;
    if (filter.title !== undefined && filter.title !== error.title) return false;
    if (filter.details !== undefined && filter.details !== error.detail) return false;
  }
  const args = { ...run.args(), locals };
  if (spec.when && !execution.evaluator.test(spec.when, run.input, args, run.task.reference)) return false;
  if (spec.exceptWhen && execution.evaluator.test(spec.exceptWhen, run.input, args, run.task.reference)) return false;
  return true;
}

function retryAccepts(
  task: TryTask,
  run: TaskRun<TryTask>,
  locals: Record<string, unknown>,
  execution: Execution,
): boolean {
  const policy = task.catch.retry;
  if (!policy) return false;
  const args = { ...run.args(), locals };
  if (policy.when && !execution.evaluator.test(policy.when, run.input, args, task.reference)) return false;
  return !(policy.exceptWhen && execution.evaluator.test(policy.exceptWhen, run.input, args, task.reference));
}
