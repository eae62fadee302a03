/**
 * RFC 3339 instants, as Zigflow's `wait.until` takes them (`2026-05-01T09:30:00Z`,
 * `2026-05-01T11:30:00.5+02:00`). Pure: the interpreter parses computed values in the sandbox.
 */

export type TimestampResult =
  | { readonly ok: true; readonly epochMs: number }
  | { readonly ok: false; readonly message: string };

// Date, `T`, time with optional fraction, and a zone (`Z` or ±hh:mm): RFC 3339's internet profile.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export function parseTimestamp(value: unknown): TimestampResult {
  if (typeof value !== 'string') return { ok: false, message: `wait.until must be an RFC 3339 timestamp string, got ${value === null ? 'null' : typeof value}` };
  const match = RFC3339.exec(value);
  const fail = { ok: false, message: `'${value}' is not an RFC 3339 timestamp (for example 2026-05-01T09:30:00Z)` } as const;
  if (!match) return fail;
  const [, year, month, day, hour, minute, second, zoneHour, zoneMinute] = match.map(Number) as number[];
  // Date.parse rolls 2026-02-30 over to March; a written day that does not exist is a mistake.
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day!) return fail;
  if (hour! > 23 || minute! > 59 || second! > 59) return fail;
  if (zoneHour !== undefined && !Number.isNaN(zoneHour) && (zoneHour > 23 || zoneMinute! > 59)) return fail;
  const epochMs = Date.parse(value);
  return Number.isNaN(epochMs) ? fail : { ok: true, epochMs };
}
