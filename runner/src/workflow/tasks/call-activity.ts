import type { ActivityCallTask, Template } from '@baton/dsl/runtime';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

/**
 * `call: activity`: the named activity is scheduled straight from the interpreter on its own task
 * queue, so a worker in any language serves it. Failures its code raises are runtime errors
 * (their type is the title); timeouts are timeout errors.
 */
export const runCallActivity: TaskHandler<ActivityCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const value = task.arguments ? evaluate(task.arguments) : [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  checkPayload(list, execution.maxPayloadBytes, `the arguments of activity ${task.activity} in task ${task.reference}`, task.reference);
  const own = task.options;
  const options = {
    ...callActivityOptions(task, execution, own?.summary ?? `${task.reference}: ${task.activity} on ${task.taskQueue}`, own),
    taskQueue: task.taskQueue,
    ...(own?.scheduleToStartTimeoutMs !== undefined ? { scheduleToStartTimeout: own.scheduleToStartTimeoutMs } : {}),
  };
  return { output: await callActivity(task, options, task.activity, list, 'runtime') };
};
