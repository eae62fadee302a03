import { patched } from '@temporalio/workflow';
import type { ForTask } from '@baton/dsl/runtime';
import { ContinueAsNewRequest } from '../continuation.ts';
import type { ForCursor, ForItems, ListCursor } from '../continuation.ts';
import { workflowError } from '../../contract/index.ts';
import type { TaskHandler } from './types.ts';

/** Runs that carried the collection whole replay as they were (the marker comes with the first such continue-as-new). */
export const FOR_RECOMPUTES_COLLECTION_PATCH = 'baton-for-recomputes-collection';

/**
 * Iterates `in`: an array (position = index), null (nothing), and — Zigflow's dialect, which the
 * spec leaves open — an object (item = value, position = key) or a non-negative integer count
 * (item = position = 0…n-1). Each iteration's output is the next one's input and the last one is
 * the task's output. `while` is checked before each iteration with `$item`/`$index` already bound.
 * `exit` in the body leaves the loop.
 */
export const runFor: TaskHandler<ForTask> = async ({ task, input, scope, resume, execution, args }) => {
  const cursor = resume as ForCursor | undefined;
  const items = cursor?.items ?? collection(execution.evaluator.evaluate(task.in, input, args(), task.reference), task.reference);
  const size = typeof items.values === 'number' ? items.values : items.values.length;
  if (cursor && !cursor.items && cursor.size !== size) {
    throw workflowError('runtime', {
      title: 'Collection changed across continue-as-new',
      detail: `for.in gave ${size} items when evaluated again, ${String(cursor.size)} before`,
      instance: task.reference,
    });
  }
  const recomputable = typeof items.values !== 'number' && execution.evaluator.isRepeatable(task.in);
  let current = cursor ? cursor.iterationInput : input;
  for (let iteration = cursor?.iteration ?? 0; iteration < size; iteration++) {
    const item = typeof items.values === 'number' ? iteration : items.values[iteration];
    const position = items.keys ? items.keys[iteration] : iteration;
    const locals = { ...scope.locals, [task.each]: item, [task.at]: position };
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
        const carried = recomputable && patched(FOR_RECOMPUTES_COLLECTION_PATCH) ? { size } : { items };
        throw new ContinueAsNewRequest({
          iteration,
          iterationInput: current,
          ...carried,
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

function collection(value: unknown, instance: string): ForItems {
  if (Array.isArray(value)) return { values: value };
  if (value === null || value === undefined) return { values: [] };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { values: value };
  if (typeof value === 'object') return { values: Object.values(value), keys: Object.keys(value) };
  throw workflowError('expression', {
    title: 'Invalid for collection',
    detail: `for.in must produce an array, an object, a non-negative integer or null, got ${JSON.stringify(value)?.slice(0, 80)}`,
    instance,
  });
}
