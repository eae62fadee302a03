import { sleep } from '@temporalio/workflow';
import type { WaitTask } from '@baton/dsl/runtime';
import type { TaskHandler } from './types.ts';

/** A durable timer; the data passes through. */
export const runWait: TaskHandler<WaitTask> = async ({ task, input, execution, args }) => {
  const ms = execution.durationMs(task.duration, input, args(), task.reference);
  if (ms > 0) await sleep(ms, { summary: `wait ${task.reference}` });
  return { output: input };
};
