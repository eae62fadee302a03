/** Zigflow's `metadata.activityOptions` (Temporal activity options) → ActivityOptions in ms. */
import { activityDurationMs, RETRY_DURATIONS, TIMEOUT_OPTIONS } from '../document/activity-options.ts';
import type { ActivityOptions } from '../plan.ts';
import { asObject } from '../document/values.ts';

export function activityOptions(metadata: unknown): ActivityOptions | undefined {
  const options = asObject(asObject(metadata)?.activityOptions);
  return options ? activityOptionFields(options) : undefined;
}

/** The same options written anywhere else (`call: activity`'s `with.options`); `extra` are keys the caller reads itself. */
export function activityOptionFields(options: Readonly<Record<string, unknown>>, extra: readonly string[] = []): ActivityOptions {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (extra.includes(key)) continue;
    if (Object.hasOwn(TIMEOUT_OPTIONS, key)) result[TIMEOUT_OPTIONS[key as keyof typeof TIMEOUT_OPTIONS]] = durationMs(value);
    else if (key === 'retryPolicy') result.retry = retry(asObject(value)!);
  }
  return result as ActivityOptions;
}

function retry(policy: Readonly<Record<string, unknown>>): ActivityOptions['retry'] {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(policy)) {
    if (Object.hasOwn(RETRY_DURATIONS, key)) result[RETRY_DURATIONS[key as keyof typeof RETRY_DURATIONS]] = durationMs(field);
    else result[key] = field;
  }
  return result;
}

/** Milliseconds of a duration validation accepted. */
export function durationMs(value: unknown): number {
  const result = activityDurationMs(value);
  return result.ok ? result.ms : 0;
}
