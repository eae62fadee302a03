/**
 * `call: activity` (Zigflow's extension): `with: { name, arguments, options: { taskQueue, …
 * Temporal activity options } }`. Zigflow's documentation also shows `taskQueue` beside `name`;
 * both places are read. Local activities and the options Baton does not schedule with yet are
 * refused rather than ignored.
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { ActivityCallOptions, ActivityCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import { activityOptionFields, durationMs } from '../activity-options.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';

const OWN_OPTIONS = ['taskQueue', 'scheduleToStartTimeout', 'summary'];
const NOT_YET = ['activityId', 'waitForCancellation', 'disableEagerExecution', 'priority'];

export function activityCall(site: TaskSite, base: TaskBaseFields): ActivityCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  if (!args) {
    ctx.error('SW307', joinPointer(pointer, 'call'), '`call: activity` needs `with: { name, options: { taskQueue } }`');
    return undefined;
  }
  for (const key of ['local', 'localOptions']) {
    if (args[key] !== undefined) ctx.error('SW501', at(key), 'local activities are not supported yet', { atKey: true });
  }
  const name = asString(args.name);
  if (name === undefined || name.trim() === '') {
    ctx.error('SW307', args.name === undefined ? joinPointer(pointer, 'with') : at('name'), '`call: activity` needs the activity type in `with.name`');
  }
  const written = asObject(args.options);
  if (args.options !== undefined && !written) ctx.error('SW307', at('options'), 'options must be a mapping');
  const options = written ?? {};
  for (const key of NOT_YET) {
    if (options[key] !== undefined) ctx.error('SW501', at('options', key), `the activity option '${key}' is not supported yet`, { atKey: true });
  }
  const taskQueue = asString(options.taskQueue) ?? asString(args.taskQueue);
  if (taskQueue === undefined || taskQueue.trim() === '') {
    ctx.error('SW307', written ? at('options') : joinPointer(pointer, 'with'), '`call: activity` needs the task queue its workers poll: `with.options.taskQueue`');
  }
  const fields = activityOptionFields(ctx, Object.fromEntries(Object.entries(options).filter(([key]) => !NOT_YET.includes(key))), at('options'), OWN_OPTIONS);
  const scheduleToStart = options.scheduleToStartTimeout !== undefined ? durationMs(ctx, options.scheduleToStartTimeout, at('options', 'scheduleToStartTimeout')) : undefined;
  const summary = asString(options.summary);
  const callOptions: ActivityCallOptions = {
    ...fields,
    ...(scheduleToStart !== undefined ? { scheduleToStartTimeoutMs: scheduleToStart } : {}),
    ...(summary !== undefined ? { summary } : {}),
  };
  if (name === undefined || name.trim() === '' || taskQueue === undefined || taskQueue.trim() === '') return undefined;
  return {
    ...base,
    kind: 'call.activity',
    activity: name,
    taskQueue,
    ...(args.arguments !== undefined ? { arguments: template(ctx, args.arguments, at('arguments'), scope) } : {}),
    ...(Object.keys(callOptions).length > 0 ? { options: callOptions } : {}),
  };
}
