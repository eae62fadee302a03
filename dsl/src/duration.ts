/**
 * Durations as the DSL writes them — ISO 8601 strings (`PT1M30S`) or inline objects
 * (`{ minutes: 1, seconds: 30 }`) — turned into milliseconds. Pure and dependency-free: the
 * interpreter calls it inside the workflow sandbox for durations computed at run time.
 */

export type DurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly code: 'SW303'; readonly message: string };

const UNIT_MS = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
} as const;

export const DURATION_FIELDS = Object.keys(UNIT_MS) as readonly (keyof typeof UNIT_MS)[];

// Years and months are calendar-dependent; a workflow timer needs a fixed length.
const ISO_DURATION = /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const CALENDAR_UNITS = /^P(?:\d+(?:\.\d+)?[YM])/;
const NUMERIC_STRING = /^\s*\d+(?:\.\d+)?\s*$/;

/** Durations beyond this are refused: they cannot be meant and would overflow timers. */
export const MAX_DURATION_MS = 100 * 365 * UNIT_MS.days;

function fail(message: string): DurationResult {
  return { ok: false, code: 'SW303', message };
}

function bounded(ms: number, written: string): DurationResult {
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) return fail(`duration ${written} is longer than 100 years`);
  return { ok: true, ms: Math.round(ms) };
}

export function isoDurationToMs(text: string): DurationResult {
  const match = ISO_DURATION.exec(text);
  if (!match) {
    if (CALENDAR_UNITS.test(text)) {
      return fail(`duration '${text}' uses years or months, which have no fixed length; use weeks, days or hours`);
    }
    return fail(`'${text}' is not an ISO 8601 duration such as PT30S, PT1H30M or P2D`);
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * 7 * UNIT_MS.days +
    Number(days ?? 0) * UNIT_MS.days +
    Number(hours ?? 0) * UNIT_MS.hours +
    Number(minutes ?? 0) * UNIT_MS.minutes +
    Number(seconds ?? 0) * UNIT_MS.seconds;
  return bounded(ms, `'${text}'`);
}

function fieldValue(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) return Number(value);
  return undefined;
}

/**
 * Milliseconds of a duration given as an ISO 8601 string or a `{days, hours, minutes, seconds,
 * milliseconds}` object whose fields are non-negative numbers (or numeric strings, as an
 * expression may produce). Anything else is an SW303 error value, never an exception.
 */
export function durationToMs(value: unknown): DurationResult {
  if (typeof value === 'string') return isoDurationToMs(value.trim());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`a duration must be an ISO 8601 string or an object of ${DURATION_FIELDS.join('/')}, got ${describe(value)}`);
  }
  let ms = 0;
  let fields = 0;
  for (const [key, raw] of Object.entries(value)) {
    if (!Object.hasOwn(UNIT_MS, key)) return fail(`unknown duration field '${key}'; use ${DURATION_FIELDS.join(', ')}`);
    const amount = fieldValue(raw);
    if (amount === undefined) return fail(`duration field '${key}' must be a non-negative number, got ${describe(raw)}`);
    ms += amount * UNIT_MS[key as keyof typeof UNIT_MS];
    fields++;
  }
  if (fields === 0) return fail('a duration object needs at least one field');
  return bounded(ms, 'object');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return typeof value === 'object' ? 'an object' : String(value);
}
