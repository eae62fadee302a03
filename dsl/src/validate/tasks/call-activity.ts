/**
 * `call: activity` (Zigflow's extension): `with: { name, arguments, options: { taskQueue, …
 * Temporal activity options } }`. Zigflow's documentation also shows `taskQueue` beside `name`;
 * both places are read. Local activities and the options Baton does not schedule with yet are
 * refused rather than ignored.
 */
import { ACTIVITY_CALL_OPTIONS_NOT_YET, OWN_ACTIVITY_CALL_OPTIONS } from '../../document/activity-call.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import { checkActivityDuration, checkActivityOptionFields } from '../activity-options.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';

export function checkActivityCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  if (!args) {
    ctx.error('SW307', joinPointer(pointer, 'call'), '`call: activity` needs `with: { name, options: { taskQueue } }`');
    return;
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
  for (const key of ACTIVITY_CALL_OPTIONS_NOT_YET) {
    if (options[key] !== undefined) ctx.error('SW501', at('options', key), `the activity option '${key}' is not supported yet`, { atKey: true });
  }
  const taskQueue = asString(options.taskQueue) ?? asString(args.taskQueue);
  if (taskQueue === undefined || taskQueue.trim() === '') {
    ctx.error('SW307', written ? at('options') : joinPointer(pointer, 'with'), '`call: activity` needs the task queue its workers poll: `with.options.taskQueue`');
  }
  const scheduled = Object.fromEntries(Object.entries(options).filter(([key]) => !ACTIVITY_CALL_OPTIONS_NOT_YET.includes(key)));
  checkActivityOptionFields(ctx, scheduled, at('options'), OWN_ACTIVITY_CALL_OPTIONS);
  if (options.scheduleToStartTimeout !== undefined) checkActivityDuration(ctx, options.scheduleToStartTimeout, at('options', 'scheduleToStartTimeout'));
  if (args.arguments !== undefined) checkTemplate(ctx, args.arguments, at('arguments'), scope);
}
