/**
 * Zigflow's activity options (`metadata.activityOptions`, `call: activity`'s `with.options`): the
 * option names and how their durations are written — ISO 8601, duration objects, or Go-style
 * strings (`30s`, `1m30s`, `500ms`).
 */
import { durationToMs } from '../duration.ts';
import type { DurationResult } from '../duration.ts';

const GO_DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;
export const TIMEOUT_OPTIONS = { startToCloseTimeout: 'startToCloseTimeoutMs', scheduleToCloseTimeout: 'scheduleToCloseTimeoutMs', heartbeatTimeout: 'heartbeatTimeoutMs' } as const;
export const RETRY_DURATIONS = { initialInterval: 'initialIntervalMs', maximumInterval: 'maximumIntervalMs' } as const;
export const ACTIVITY_OPTION_KEYS: readonly string[] = [...Object.keys(TIMEOUT_OPTIONS), 'retryPolicy'];
export const RETRY_OPTION_KEYS: readonly string[] = [...Object.keys(RETRY_DURATIONS), 'maximumAttempts', 'backoffCoefficient', 'nonRetryableErrorTypes'];

/** A duration as Zigflow's metadata writes it: ISO 8601, a duration object or Go-style (`30s`, `1m30s`, `500ms`). */
export function activityDurationMs(value: unknown): DurationResult {
  if (typeof value === 'string') {
    const go = GO_DURATION.exec(value.trim());
    if (go && value.trim() !== '') {
      const [, h, m, s, ms] = go;
      return { ok: true, ms: Math.round(Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1_000 + Number(ms ?? 0)) };
    }
  }
  return durationToMs(value);
}
