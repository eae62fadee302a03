/**
 * Zigflow's `metadata.activityOptions` (Temporal activity options) → ActivityOptions in ms.
 * Durations may be ISO 8601, duration objects, or Go-style strings (`30s`, `1m30s`, `500ms`)
 * as Zigflow documents write them.
 */
import { durationToMs } from '../duration.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ActivityOptions } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { didYouMean } from '../document/suggest.ts';
import { asArray, asNumber, asObject } from '../document/values.ts';

const GO_DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;
const TIMEOUTS = { startToCloseTimeout: 'startToCloseTimeoutMs', scheduleToCloseTimeout: 'scheduleToCloseTimeoutMs', heartbeatTimeout: 'heartbeatTimeoutMs' } as const;
const RETRY_DURATIONS = { initialInterval: 'initialIntervalMs', maximumInterval: 'maximumIntervalMs' } as const;
const KNOWN = [...Object.keys(TIMEOUTS), 'retryPolicy'];
const KNOWN_RETRY = [...Object.keys(RETRY_DURATIONS), 'maximumAttempts', 'backoffCoefficient', 'nonRetryableErrorTypes'];

export function activityOptions(ctx: CompileContext, metadata: unknown, pointer: string): ActivityOptions | undefined {
  const options = asObject(asObject(metadata)?.activityOptions);
  if (!options) return undefined;
  return activityOptionFields(ctx, options, joinPointer(pointer, 'activityOptions'));
}

/**
 * The same options written anywhere else (`call: activity`'s `with.options`); `extra` are the
 * keys the caller reads itself, with their own meaning, and names in the unknown-option hint.
 */
export function activityOptionFields(ctx: CompileContext, options: Readonly<Record<string, unknown>>, base: string, extra: readonly string[] = []): ActivityOptions {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const at = joinPointer(base, key);
    if (extra.includes(key)) continue;
    if (Object.hasOwn(TIMEOUTS, key)) {
      const ms = durationMs(ctx, value, at);
      if (ms !== undefined) result[TIMEOUTS[key as keyof typeof TIMEOUTS]] = ms;
    } else if (key === 'retryPolicy') {
      result.retry = retry(ctx, value, at);
    } else {
      const known = [...KNOWN, ...extra];
      ctx.error('SW307', at, `unknown activity option '${key}'`, { atKey: true, hint: didYouMean(key, known) ?? `known options: ${known.join(', ')}` });
    }
  }
  return result as ActivityOptions;
}

function retry(ctx: CompileContext, value: unknown, pointer: string): ActivityOptions['retry'] {
  const policy = asObject(value);
  if (!policy) {
    ctx.error('SW307', pointer, 'retryPolicy must be a mapping');
    return {};
  }
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(policy)) {
    const at = joinPointer(pointer, key);
    if (Object.hasOwn(RETRY_DURATIONS, key)) {
      const ms = durationMs(ctx, field, at);
      if (ms !== undefined) result[RETRY_DURATIONS[key as keyof typeof RETRY_DURATIONS]] = ms;
    } else if (key === 'maximumAttempts' || key === 'backoffCoefficient') {
      const number = asNumber(field);
      const valid = number !== undefined && (key === 'maximumAttempts' ? Number.isInteger(number) && number >= 0 : number >= 1);
      if (valid) result[key] = number;
      else ctx.error('SW307', at, key === 'maximumAttempts' ? 'maximumAttempts must be a whole number ≥ 0 (0 = unlimited)' : 'backoffCoefficient must be a number ≥ 1');
    } else if (key === 'nonRetryableErrorTypes') {
      const list = asArray(field);
      if (list && list.every((item) => typeof item === 'string')) result.nonRetryableErrorTypes = list;
      else ctx.error('SW307', at, 'nonRetryableErrorTypes must be a list of strings');
    } else {
      ctx.error('SW307', at, `unknown retry option '${key}'`, { atKey: true, hint: didYouMean(key, KNOWN_RETRY) ?? `known options: ${KNOWN_RETRY.join(', ')}` });
    }
  }
  return result;
}

/** A duration as Zigflow's metadata writes it: ISO 8601, a duration object or Go-style (`30s`, `1m30s`, `500ms`). */
export function durationMs(ctx: CompileContext, value: unknown, pointer: string): number | undefined {
  if (typeof value === 'string') {
    const go = GO_DURATION.exec(value.trim());
    if (go && value.trim() !== '') {
      const [, h, m, s, ms] = go;
      return Math.round(Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1_000 + Number(ms ?? 0));
    }
  }
  const result = durationToMs(value);
  if (!result.ok) {
    ctx.error('SW303', pointer, result.message);
    return undefined;
  }
  return result.ms;
}
