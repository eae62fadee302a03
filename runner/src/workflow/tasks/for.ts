import type { ForTask } from '@baton/dsl/runtime';
import { ContinueAsNewRequest } from '../continuation.ts';
import type { ForCursor, ListCursor } from '../continuation.ts';
import { workflowError } from '../errors.ts';
import type { TaskHandler } from './types.ts';

/**
 * Iterates `in` (an array; an object iterates its values, null nothing). Each iteration's output
 * is the next one's input and the last one is the task's output. `while` is checked before each
 * iteration with `$item`/`$index` already bound. `exit` in the body leaves the loop.
 */
export const runFor: TaskHandler<ForTask> = async ({ task, input, scope, resume, execution, args }) => {
  const cursor = resume as ForCursor | undefined;
  const items = cursor ? cursor.items : collection(execution.evaluator.evaluate(task.in, input, args(), task.reference), task.reference);
  let current = cursor ? cursor.iterationInput : input;
  for (let iteration = cursor?.iteration ?? 0; iteration < items.length; iteration++) {
    const locals = { ...scope.locals, [task.each]: items[iteration], [task.at]: iteration };
    const resuming = cursor !== undefined && iteration === cursor.iteration ? cursor.body : undefined;
    if (!resuming && task.while) {
      const whileArgs = { ...args(), input: current, locals };
      if (!execution.evaluator.test(task.while, current, whileArgs, task.reference)) break;
    }
    let result;
    try {
      result = await execution.runList(task.do, current, { locals }, resuming);
    } catch (error) {
      if (error instanceof ContinueAsNewRequest) {
        throw new ContinueAsNewRequest({
          iteration,
          iterationInput: current,
          items,
          body: error.cursor as ListCursor,
        } satisfies ForCursor);
      }
      throw error;
    }
    current = result.output;
    if (result.ended) return { output: current, ended: true };
    if (result.exited) break;
  }
  return { output: current };
};

function collection(value: unknown, instance: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value);
  throw workflowError('expression', {
    title: 'Invalid for collection',
    detail: `for.in must produce an array, an object or null, got ${typeof value}`,
    instance,
  });
}
