import type { SwitchTask } from '@baton/dsl/runtime';
import type { TaskHandler } from './types.ts';

/**
 * The first case whose `when` holds decides where to go; the default case (no `when`) applies
 * only when none does. No match at all continues with the next task. The data passes through.
 */
export const runSwitch: TaskHandler<SwitchTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  let fallback: SwitchTask['cases'][number] | undefined;
  for (const candidate of task.cases) {
    if (!candidate.when) {
      fallback ??= candidate;
      continue;
    }
    if (execution.evaluator.test(candidate.when, input, evaluationArgs, task.reference)) {
      return { output: input, redirect: candidate.then };
    }
  }
  return fallback ? { output: input, redirect: fallback.then } : { output: input };
};
