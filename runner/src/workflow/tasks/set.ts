import type { SetTask } from '@baton/dsl/runtime';
import type { TaskHandler } from './types.ts';

/** The output is the evaluated `set` value, replacing the input (the spec's semantics, not a merge). */
export const runSet: TaskHandler<SetTask> = async ({ task, input, execution, args }) => ({
  output: execution.evaluator.template(task.set, input, args(), task.reference),
});
