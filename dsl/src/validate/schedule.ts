/**
 * `schedule`: one of `every` and `after` (a fixed interval of at least a second), `cron` (five
 * fields or an @-macro) or `on` (events that start a run of a deployment).
 */
import { strictExpression } from '../document/expression-checker.ts';
import { asArray, asObject, asString } from '../document/values.ts';
import { checkConsumption } from './event-consumption.ts';
import { atSite, ROOT_SCOPE } from './expressions.ts';
import type { ValidationContext } from './context.ts';
import { checkStaticDuration } from './durations.ts';

/** Temporal Schedules fire at most once a second; `after` keeps the same floor. */
const MIN_SCHEDULE_INTERVAL_MS = 1_000;

export function checkSchedule(ctx: ValidationContext, value: unknown): void {
  const schedule = asObject(value);
  // A schedule of the wrong shape is a schema violation, reported there.
  if (!schedule) return;
  const kinds = (['every', 'cron', 'after', 'on'] as const).filter((key) => schedule[key] !== undefined);
  if (kinds.length > 1) {
    ctx.error('SW307', '/schedule', `a schedule uses one of every, cron, after or on, not ${kinds.join(' and ')}`, { atKey: true });
    return;
  }
  if (schedule.on !== undefined) checkEventSchedule(ctx, schedule.on);
  else if (schedule.every !== undefined) checkInterval(ctx, schedule.every, 'every');
  else if (schedule.after !== undefined) checkInterval(ctx, schedule.after, 'after');
  else if (schedule.cron !== undefined) checkCron(ctx, schedule.cron);
  else ctx.error('SW307', '/schedule', 'a schedule needs every, cron, after or on', { atKey: true });
}

/**
 * `schedule.on`: a `listen.to` strategy whose filters are matched by the runner's event router
 * for the deployment. Expressions run on each event (`data` tests, correlation `from`) with
 * nothing but `$workflow`/`$runtime`; what a listen evaluates when its task starts (attributes,
 * `expect`) has nothing to be evaluated against here, so it must be written as a literal, and
 * `any` ends at its first event (an `until` belongs to a listening task, not to a trigger).
 */
function checkEventSchedule(ctx: ValidationContext, value: unknown): void {
  const pointer = '/schedule/on';
  const errorsBefore = ctx.errorCount;
  checkConsumption(ctx, value, pointer, atSite(ROOT_SCOPE, 'workflowInput'), true);
  if (ctx.errorCount !== errorsBefore) return;
  const strategy = asObject(value);
  if (!strategy) return;
  if (strategy.one === undefined && strategy.all === undefined && strategy.any !== undefined && strategy.until !== undefined) {
    ctx.error('SW501', `${pointer}/until`, '`until` in schedule.on is not supported: each event an `any` trigger consumes starts its own run', { atKey: true });
    return;
  }
  const filters = strategy.one !== undefined ? [[`${pointer}/one`, strategy.one] as const] : Object.entries(asArray(strategy.all ?? strategy.any) ?? []).map(([index, filter]) => [`${pointer}/${strategy.all !== undefined ? 'all' : 'any'}/${index}`, filter] as const);
  for (const [at, written] of filters) {
    const filter = asObject(written);
    for (const [name, attribute] of Object.entries(asObject(filter?.with) ?? {})) {
      if (name === 'data' || !containsExpression(attribute)) continue;
      ctx.error('SW501', `${at}/with/${name}`, 'an event attribute of schedule.on must be a literal: there is no input to evaluate an expression against when the document is deployed', {
        hint: 'match on data with an expression instead: `data: ${ … }` is evaluated on each event',
      });
    }
    for (const [name, correlation] of Object.entries(asObject(filter?.correlate) ?? {})) {
      if (!containsExpression(asObject(correlation)?.expect)) continue;
      ctx.error('SW501', `${at}/correlate/${name}/expect`, "a correlation's `expect` in schedule.on must be a literal; without one, the first event of each set fixes the value");
    }
  }
}

/** Whether any string in the value is a `${ }` expression. */
function containsExpression(value: unknown): boolean {
  if (typeof value === 'string') return strictExpression(value) !== undefined;
  return (asArray(value) ?? Object.values(asObject(value) ?? {})).some(containsExpression);
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

