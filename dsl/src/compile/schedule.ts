/**
 * `schedule` → ScheduleSpec. `every` (a fixed interval) and `cron` (five fields or an @-macro)
 * become a Temporal Schedule when deployed; `after` ("start again a delay after the previous run
 * completed"), which a Temporal Schedule cannot express, is run by the deployment's registry
 * workflow, and so is `on` (a run per set of events consumed, its input the array of those events).
 */
import type { EventConsumption, EventFilterSpec, ScheduleSpec, Template } from '../plan.ts';
import { asObject, asString } from '../document/values.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';
import { atSite, ROOT_SCOPE } from './expressions.ts';
import { consumption } from './event-consumption.ts';

/** Temporal Schedules fire at most once a second; `after` keeps the same floor. */
export const MIN_SCHEDULE_INTERVAL_MS = 1_000;

export function scheduleSpec(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const schedule = asObject(value);
  // A schedule of the wrong shape is a schema violation, reported there.
  if (!schedule) return undefined;
  const kinds = (['every', 'cron', 'after', 'on'] as const).filter((key) => schedule[key] !== undefined);
  if (kinds.length > 1) {
    ctx.error('SW307', '/schedule', `a schedule uses one of every, cron, after or on, not ${kinds.join(' and ')}`, { atKey: true });
    return undefined;
  }
  if (schedule.on !== undefined) return eventSchedule(ctx, schedule.on);
  if (schedule.every !== undefined) {
    const everyMs = interval(ctx, schedule.every, 'every');
    return everyMs === undefined ? undefined : { kind: 'every', everyMs };
  }
  if (schedule.after !== undefined) {
    const afterMs = interval(ctx, schedule.after, 'after');
    return afterMs === undefined ? undefined : { kind: 'after', afterMs };
  }
  if (schedule.cron !== undefined) return cron(ctx, schedule.cron);
  ctx.error('SW307', '/schedule', 'a schedule needs every, cron, after or on', { atKey: true });
  return undefined;
}

/**
 * `schedule.on`: a `listen.to` strategy whose filters are matched by the runner's event router
 * for the deployment. Expressions run on each event (`data` tests, correlation `from`) with
 * nothing but `$workflow`/`$runtime`; what a listen evaluates when its task starts (attributes,
 * `expect`) has nothing to be evaluated against here, so it must be written as a literal, and
 * `any` ends at its first event (an `until` belongs to a listening task, not to a trigger).
 */
function eventSchedule(ctx: CompileContext, value: unknown): ScheduleSpec | undefined {
  const pointer = '/schedule/on';
  const consume = consumption(ctx, value, pointer, atSite(ROOT_SCOPE, 'workflowInput'), true);
  if (!consume) return undefined;
  if (consume.kind === 'any' && consume.until) {
    ctx.error('SW501', `${pointer}/until`, '`until` in schedule.on is not supported: each event an `any` trigger consumes starts its own run', { atKey: true });
    return undefined;
  }
  let literal = true;
  for (const [index, filter] of filtersOf(consume).entries()) {
    const at = consume.kind === 'one' ? `${pointer}/one` : `${pointer}/${consume.kind}/${index}`;
    for (const [name, template] of filter.attributes) {
      if (isLiteral(template)) continue;
      literal = false;
      ctx.error('SW501', `${at}/with/${name}`, 'an event attribute of schedule.on must be a literal: there is no input to evaluate an expression against when the document is deployed', {
        hint: 'match on data with an expression instead: `data: ${ … }` is evaluated on each event',
      });
    }
    for (const correlation of filter.correlate) {
      if (!correlation.expect || isLiteral(correlation.expect)) continue;
      literal = false;
      ctx.error('SW501', `${at}/correlate/${correlation.name}/expect`, "a correlation's `expect` in schedule.on must be a literal; without one, the first event of each set fixes the value");
    }
  }
  return literal ? { kind: 'on', consume } : undefined;
}

function filtersOf(consume: EventConsumption): readonly EventFilterSpec[] {
  return consume.kind === 'one' ? [consume.filter] : consume.filters;
}

function isLiteral(template: Template): boolean {
  switch (template.kind) {
    case 'literal':
      return true;
    case 'expr':
      return false;
    case 'object':
      return template.entries.every(([, entry]) => isLiteral(entry));
    case 'array':
      return template.items.every(isLiteral);
  }
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

