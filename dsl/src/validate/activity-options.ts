/**
 * Zigflow's `metadata.activityOptions` (Temporal activity options): known options only, each of
 * the right kind. Durations may be ISO 8601, duration objects, or Go-style strings (`30s`,
 * `1m30s`, `500ms`) as Zigflow documents write them (document/go-duration.ts).
 */
import { activityDurationMs, ACTIVITY_OPTION_KEYS, RETRY_OPTION_KEYS, TIMEOUT_OPTIONS, RETRY_DURATIONS } from '../document/activity-options.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { didYouMean } from '../document/suggest.ts';
import { asArray, asNumber, asObject } from '../document/values.ts';

/** What the rules need to know of the options they accepted. */
export interface CheckedOptions {
  readonly heartbeatTimeoutMs?: number;
}

export function checkActivityOptions(ctx: ValidationContext, metadata: unknown, pointer: string): CheckedOptions | undefined {
  const options = asObject(asObject(metadata)?.activityOptions);
  if (!options) return undefined;
  return checkActivityOptionFields(ctx, options, joinPointer(pointer, 'activityOptions'));
}

/**
 * The same options written anywhere else (`call: activity`'s `with.options`); `extra` are the
 * keys the caller reads itself, with their own meaning, and names in the unknown-option hint.
 */
export function checkActivityOptionFields(ctx: ValidationContext, options: Readonly<Record<string, unknown>>, base: string, extra: readonly string[] = []): CheckedOptions {
  let heartbeatTimeoutMs: number | undefined;
  for (const [key, value] of Object.entries(options)) {
    const at = joinPointer(base, key);
    if (extra.includes(key)) continue;
    if (Object.hasOwn(TIMEOUT_OPTIONS, key)) {
      const ms = checkActivityDuration(ctx, value, at);
      if (key === 'heartbeatTimeout') heartbeatTimeoutMs = ms;
    } else if (key === 'retryPolicy') {
      checkRetry(ctx, value, at);
    } else {
      const known = [...ACTIVITY_OPTION_KEYS, ...extra];
      ctx.error('SW307', at, `unknown activity option '${key}'`, { atKey: true, hint: didYouMean(key, known) ?? `known options: ${known.join(', ')}` });
    }
  }
  return heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs };
}

function checkRetry(ctx: ValidationContext, value: unknown, pointer: string): void {
  const policy = asObject(value);
  if (!policy) {
    ctx.error('SW307', pointer, 'retryPolicy must be a mapping');
    return;
  }
  for (const [key, field] of Object.entries(policy)) {
    const at = joinPointer(pointer, key);
    if (Object.hasOwn(RETRY_DURATIONS, key)) {
      checkActivityDuration(ctx, field, at);
    } else if (key === 'maximumAttempts' || key === 'backoffCoefficient') {
      const number = asNumber(field);
      const valid = number !== undefined && (key === 'maximumAttempts' ? Number.isInteger(number) && number >= 0 : number >= 1);
      if (!valid) ctx.error('SW307', at, key === 'maximumAttempts' ? 'maximumAttempts must be a whole number ≥ 0 (0 = unlimited)' : 'backoffCoefficient must be a number ≥ 1');
    } else if (key === 'nonRetryableErrorTypes') {
      const list = asArray(field);
      if (!list || !list.every((item) => typeof item === 'string')) ctx.error('SW307', at, 'nonRetryableErrorTypes must be a list of strings');
    } else {
      ctx.error('SW307', at, `unknown retry option '${key}'`, { atKey: true, hint: didYouMean(key, RETRY_OPTION_KEYS) ?? `known options: ${RETRY_OPTION_KEYS.join(', ')}` });
    }
  }
}

/** A duration as Zigflow's metadata writes it; its milliseconds when valid. */
export function checkActivityDuration(ctx: ValidationContext, value: unknown, pointer: string): number | undefined {
  const result = activityDurationMs(value);
  if (!result.ok) {
    ctx.error('SW303', pointer, result.message);
    return undefined;
  }
  return result.ms;
}
