/**
 * `schedule` → ScheduleSpec. Only clock schedules Baton can keep are accepted: `every` (a fixed
 * interval) and `cron` (five fields or an @-macro), which a deployment turns into a Temporal
 * Schedule. `after` ("start again a delay after the previous run completed") is refused: a
 * Temporal Schedule starts runs on a clock and cannot wait for the previous run to end, and
 * validation never promises what execution cannot keep. `on` (events) is refused until events exist.
 */
import type { ScheduleSpec } from '../plan.ts';
import { asObject, asString } from '../document/values.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';

/** Temporal Schedules fire at most once a second. */
export const MIN_SCHEDULE_INTERVAL_MS = 1_000;

export function scheduleSpec(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const schedule = asObject(value);
  // A schedule of the wrong shape is a schema violation, reported there.
  if (!schedule) return undefined;
  if (schedule.on !== undefined) {
    ctx.error('SW501', '/schedule/on', 'event-driven schedules (schedule.on) are not supported yet', { atKey: true, hint: 'use schedule.every or schedule.cron' });
  }
  if (schedule.after !== undefined) {
    ctx.error('SW501', '/schedule/after', 'schedule.after is not supported yet: a Temporal Schedule cannot wait for the previous run to end', {
      atKey: true,
      hint: 'use schedule.every (runs on a fixed interval; a run still going when the next is due makes that one skip)',
    });
  }
  const kinds = (['every', 'cron'] as const).filter((key) => schedule[key] !== undefined);
  if (kinds.length > 1) {
    ctx.error('SW307', '/schedule', 'a schedule uses either every or cron, not both', { atKey: true });
    return undefined;
  }
  if (schedule.every !== undefined) return every(ctx, schedule.every);
  if (schedule.cron !== undefined) return cron(ctx, schedule.cron);
  if (schedule.on === undefined && schedule.after === undefined) {
    ctx.error('SW307', '/schedule', 'a schedule needs every or cron', { atKey: true });
  }
  return undefined;
}

function every(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const pointer = '/schedule/every';
  const ms = staticMs(ctx, value, pointer);
  if (ms === undefined) return undefined;
  if (ms < MIN_SCHEDULE_INTERVAL_MS) {
    ctx.error('SW303', pointer, `a schedule interval must be at least one second (PT1S); this one is ${ms} ms`);
    return undefined;
  }
  return { kind: 'every', everyMs: ms };
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

