/**
 * `schedule` → ScheduleSpec. `every` (a fixed interval) and `cron` become a Temporal Schedule
 * when deployed; `after` ("start again a delay after the previous run completed"), which a
 * Temporal Schedule cannot express, is run by the deployment's registry workflow, and so is `on`
 * (a run per set of events consumed, its input the array of those events).
 */
import type { ScheduleSpec } from '../plan.ts';
import { asObject } from '../document/values.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';
import { consumption } from './event-consumption.ts';

export function scheduleSpec(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const schedule = asObject(value);
  if (!schedule) return undefined;
  if (schedule.on !== undefined) return { kind: 'on', consume: consumption(ctx, schedule.on, false) };
  if (schedule.every !== undefined) return { kind: 'every', everyMs: staticMs(schedule.every)! };
  if (schedule.after !== undefined) return { kind: 'after', afterMs: staticMs(schedule.after)! };
  if (schedule.cron !== undefined) return { kind: 'cron', cron: String(schedule.cron).trim() };
  return undefined;
}
