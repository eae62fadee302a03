import { sleep } from '@temporalio/workflow';
import { parseTimestamp } from '@baton/dsl/runtime';
import type { WaitTask, WaitUntil } from '@baton/dsl/runtime';
import { workflowError } from '../../contract/index.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution } from '../interpreter.ts';
import type { TaskHandler } from './types.ts';

/** A durable timer; the data passes through. */
export const runWait: TaskHandler<WaitTask> = async ({ task, input, execution, args }) => {
  const ms =
    task.duration.kind === 'until'
      ? msUntil(task.duration, execution, input, args(), task.reference)
      : execution.durationMs(task.duration, input, args(), task.reference);
  if (ms > 0) await sleep(ms, { summary: `wait ${task.reference}` });
  return { output: input };
};

/** Zigflow's `wait.until`: how long from workflow time (`Date.now()` in the sandbox) to the instant. */
function msUntil(until: WaitUntil, execution: Execution, input: unknown, args: ExpressionArguments, instance: string): number {
  const parsed = parseTimestamp(execution.evaluator.template(until.value, input, args, instance));
  if (!parsed.ok) throw workflowError('expression', { title: 'Invalid timestamp', detail: parsed.message, instance });
  return Math.max(0, parsed.epochMs - Date.now());
}
