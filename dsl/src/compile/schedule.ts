/**
 * `schedule` → ScheduleSpec. `every` (a fixed interval) and `cron` (five fields or an @-macro)
 * become a Temporal Schedule when deployed; `after` ("start again a delay after the previous run
 * completed"), which a Temporal Schedule cannot express, is run by the deployment's registry
 * workflow. `on` (events) is refused until events exist.
 */
import type { ScheduleSpec } from '../plan.ts';
import { asObject, asString } from '../document/values.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';

/** Temporal Schedules fire at most once a second; `after` keeps the same floor. */
export const MIN_SCHEDULE_INTERVAL_MS = 1_000;

export function scheduleSpec(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const schedule = asObject(value);
  // A schedule of the wrong shape is a schema violation, reported there.
  if (!schedule) return undefined;
  if (schedule.on !== undefined) {
    ctx.error('SW501', '/schedule/on', 'event-driven schedules (schedule.on) are not supported yet', { atKey: true, hint: 'use schedule.every, schedule.cron or schedule.after' });
  }
  const kinds = (['every', 'cron', 'after'] as const).filter((key) => schedule[key] !== undefined);
  if (kinds.length > 1) {
    ctx.error('SW307', '/schedule', `a schedule uses one of every, cron or after, not ${kinds.join(' and ')}`, { atKey: true });
    return undefined;
  }
  if (schedule.every !== undefined) {
    const everyMs = interval(ctx, schedule.every, 'every');
    return everyMs === undefined ? undefined : { kind: 'every', everyMs };
  }
  if (schedule.after !== undefined) {
    const afterMs = interval(ctx, schedule.after, 'after');
    return afterMs === undefined ? undefined : { kind: 'after', afterMs };
  }
  if (schedule.cron !== undefined) return cron(ctx, schedule.cron);
  if (schedule.on === undefined) {
    ctx.error('SW307', '/schedule', 'a schedule needs every, cron or after', { atKey: true });
  }
  return undefined;
}

/** A static duration of at least a second: runs back to back with no pause would be a busy loop. */
function interval(ctx: CompileContext, value: unknown, key: 'every' | 'after'): number | undefined {
  const pointer = `/schedule/${key}`;
  const ms = staticMs(ctx, value, pointer);
  if (ms === undefined) return undefined;
  if (ms < MIN_SCHEDULE_INTERVAL_MS) {
    ctx.error('SW303', pointer, `a schedule interval must be at least one second (PT1S); this one is ${ms} ms`);
    return undefined;
  }
  return ms;
}

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

function cron(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const pointer = '/schedule/cron';
  const text = asString(value)?.trim();
  if (text === undefined) return undefined;
  const problem = cronProblem(text);
  if (problem) {
    ctx.error('SW204', pointer, `'${text}' is not a cron expression Baton accepts: ${problem}`, {
      hint: "five fields (minute hour day-of-month month day-of-week), e.g. '0 0 * * *', or @hourly/@daily/@weekly/@monthly/@yearly",
    });
    return undefined;
  }
  return { kind: 'cron', cron: text };
}

/** Why `text` is not a five-field cron expression (or macro), or undefined when it is one. */
export function cronProblem(text: string): string | undefined {
  if (text.startsWith('@')) return MACROS.has(text.toLowerCase()) ? undefined : `unknown macro ${text}`;
  const parts = text.split(/\s+/);
  if (parts.length !== FIELDS.length) return `it has ${parts.length} fields, not 5`;
  for (const [index, part] of parts.entries()) {
    const field = FIELDS[index]!;
    for (const item of part.split(',')) {
      if (!cronItemValid(item, field.min, field.max, field.names)) return `'${item}' is not a valid ${field.name} (${field.min}-${field.max})`;
    }
  }
  return undefined;
}

function cronItemValid(item: string, min: number, max: number, names?: readonly string[]): boolean {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || (range === '?' && step === undefined)) return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map((bound) => cronValue(bound, min, max, names));
  if (values.some((v) => v === undefined)) return false;
  return values.length === 1 || values[0]! <= values[1]!;
}

function cronValue(text: string, min: number, max: number, names?: readonly string[]): number | undefined {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

