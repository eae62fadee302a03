import type { FunctionCallTask } from '@baton/dsl/runtime';
import type { TaskCursor } from '../continuation.ts';
import type { TaskHandler } from './types.ts';

/**
 * `call: <function>`: the function's task run with the evaluated `with` as its input (the call's
 * input without one), through its own data flow. A `then: end` inside it ends the function, not
 * the caller's workflow.
 */
export const runCallFunction: TaskHandler<FunctionCallTask> = async ({ task, input, scope, resume, execution, args }) => {
  const cursor = resume as TaskCursor | undefined;
  const functionInput = cursor ? cursor.rawInput : task.arguments ? execution.evaluator.template(task.arguments, input, args(), task.reference) : input;
  const outcome = await execution.runTask(task.body, functionInput, scope, cursor);
  return { output: outcome.output };
};
