import type { DoTask } from '@baton/dsl/runtime';
import type { ListCursor } from '../continuation.ts';
import type { TaskHandler } from './types.ts';

/** Runs the subtasks in order; the output is the last one's. */
export const runDo: TaskHandler<DoTask> = async ({ task, input, scope, resume, execution }) => {
  const result = await execution.runList(task.do, input, scope, resume as ListCursor | undefined);
  return { output: result.output, ended: result.ended };
};
