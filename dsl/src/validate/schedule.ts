/**
 * `schedule`: one of `every` and `after` (a fixed interval of at least a second) or `cron` (five
 * fields or an @-macro). `on` (events) is refused until events can start workflows.
 */
import { asObject, asString } from '../document/values.ts';
import type { ValidationContext } from './context.ts';
import { checkStaticDuration } from './durations.ts';

/** Temporal Schedules fire at most once a second; `after` keeps the same floor. */
const MIN_SCHEDULE_INTERVAL_MS = 1_000;

export function checkSchedule(ctx: ValidationContext, value: unknown): void {
  const schedule = asObject(value);
  // A schedule of the wrong shape is a schema violation, reported there.
  if (!schedule) return;
  if (schedule.on !== undefined) {
    ctx.error('SW501', '/schedule/on', 'event-driven schedules (schedule.on) are not supported yet', { atKey: true, hint: 'use schedule.every, schedule.cron or schedule.after' });
  }
  const kinds = (['every', 'cron', 'after'] as const).filter((key) => schedule[key] !== undefined);
  if (kinds.length > 1) {
    ctx.error('SW307', '/schedule', `a schedule uses one of every, cron or after, not ${kinds.join(' and ')}`, { atKey: true });
    return;
  }
  if (schedule.every !== undefined) checkInterval(ctx, schedule.every, 'every');
  else if (schedule.after !== undefined) checkInterval(ctx, schedule.after, 'after');
  else if (schedule.cron !== undefined) checkCron(ctx, schedule.cron);
  else if (schedule.on === undefined) ctx.error('SW307', '/schedule', 'a schedule needs every, cron or after', { atKey: true });
}

/** A static duration of at least a second: runs back to back with no pause would be a busy loop. */
function checkInterval(ctx: ValidationContext, value: unknown, key: 'every' | 'after'): void {
  const pointer = `/schedule/${key}`;
  const ms = checkStaticDuration(ctx, value, pointer);
  if (ms !== undefined && ms < MIN_SCHEDULE_INTERVAL_MS) {
    ctx.error('SW303', pointer, `a schedule interval must be at least one second (PT1S); this one is ${ms} ms`);
  }
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

function checkCron(ctx: ValidationContext, value: unknown): void {
  const text = asString(value)?.trim();
  if (text === undefined) return;
  const problem = cronProblem(text);
  if (problem) {
    ctx.error('SW204', '/schedule/cron', `'${text}' is not a cron expression Baton accepts: ${problem}`, {
      hint: "five fields (minute hour day-of-month month day-of-week), e.g. '0 0 * * *', or @hourly/@daily/@weekly/@monthly/@yearly",
    });
  }
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

