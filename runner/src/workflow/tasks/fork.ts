import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { ForkTask, Task } from '@baton/dsl/runtime';
import type { Execution, Scope } from '../interpreter.ts';
import type { TaskHandler, TaskOutcome } from './types.ts';

/**
 * Runs the branches concurrently inside this workflow. Without `compete` the output is the array
 * of branch outputs in declaration order (in Zigflow's dialect, an object keyed by branch name) and the first failure cancels the other branches; with
 * `compete` the first branch to succeed provides the output and the others are cancelled.
 */
export const runFork: TaskHandler<ForkTask> = ({ task, input, scope, execution }) =>
  execution.unsafe(() =>
    task.compete ? compete(task.branches, input, scope, execution) : all(task.branches, input, scope, execution),
  );

function startBranches(branches: readonly Task[], input: unknown, scope: Scope, execution: Execution) {
  const scopes = branches.map(() => new CancellationScope());
  const runs = branches.map((branch, index) =>
    (scopes[index] as CancellationScope).run(async () => {
      await execution.whilePaused();
      return execution.runTask(branch, input, scope);
    }),
  );
  // A cancelled loser's rejection is expected; it must not surface as unhandled.
  for (const run of runs) run.catch(() => undefined);
  const cancelOthers = (keep: number) => scopes.forEach((branchScope, index) => index !== keep && branchScope.cancel());
  return { runs, cancelOthers };
}

async function all(branches: readonly Task[], input: unknown, scope: Scope, execution: Execution): Promise<TaskOutcome> {
  const { runs, cancelOthers } = startBranches(branches, input, scope, execution);
  try {
    const outcomes = await Promise.all(
      runs.map((run, index) =>
        run.catch((error: unknown) => {
          if (!isCancellation(error)) cancelOthers(index);
          throw error;
        }),
      ),
    );
    // Zigflow keys the branch outputs by branch name; the specification lists them in order.
    const output = execution.zigflow
      ? Object.fromEntries(branches.map((branch, index) => [branch.name, (outcomes[index] as TaskOutcome).output]))
      : outcomes.map((outcome) => outcome.output);
    return { output, ended: outcomes.some((outcome) => outcome.ended) };
  } catch (error) {
    cancelOthers(-1);
    throw error;
  }
}

function compete(branches: readonly Task[], input: unknown, scope: Scope, execution: Execution): Promise<TaskOutcome> {
  const { runs, cancelOthers } = startBranches(branches, input, scope, execution);
  return new Promise<TaskOutcome>((resolve, reject) => {
    let failures = 0;
    let firstFailure: unknown;
    let settled = false;
    runs.forEach((run, index) => {
      run.then(
        (outcome) => {
          if (settled) return;
          settled = true;
          cancelOthers(index);
          resolve({ output: outcome.output, ended: outcome.ended ?? false });
        },
        (error: unknown) => {
          if (settled) return;
          failures++;
          if (firstFailure === undefined || (isCancellation(firstFailure) && !isCancellation(error))) firstFailure = error;
          if (failures === runs.length) {
            settled = true;
            reject(firstFailure);
          }
        },
      );
    });
  });
}
