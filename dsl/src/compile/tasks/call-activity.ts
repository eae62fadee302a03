/** `call: activity` (Zigflow's extension) → the activity type, its task queue and the options it is scheduled with. */
import { OWN_ACTIVITY_CALL_OPTIONS } from '../../document/activity-call.ts';
import type { ActivityCallOptions, ActivityCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import { activityOptionFields, durationMs } from '../activity-options.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';

export function activityCall(site: TaskSite, base: TaskBaseFields): ActivityCallTask {
  const { ctx } = site;
  const args = asObject(site.body.with)!;
  const options = asObject(args.options) ?? {};
  const summary = asString(options.summary);
  const callOptions: ActivityCallOptions = {
    ...activityOptionFields(options, OWN_ACTIVITY_CALL_OPTIONS),
    ...(options.scheduleToStartTimeout !== undefined ? { scheduleToStartTimeoutMs: durationMs(options.scheduleToStartTimeout) } : {}),
    ...(summary !== undefined ? { summary } : {}),
  };
  return {
    ...base,
    kind: 'call.activity',
    activity: String(args.name),
    taskQueue: (asString(options.taskQueue) ?? asString(args.taskQueue))!,
    ...(args.arguments !== undefined ? { arguments: template(ctx, args.arguments) } : {}),
    ...(Object.keys(callOptions).length > 0 ? { options: callOptions } : {}),
  };
}
