/** Retry policies: inline in `catch.retry`, or named in `use.retries`. */
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { checkStaticDuration } from './durations.ts';
import { checkRuntimeExpression } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asNumber, asObject, own } from '../document/values.ts';

export function checkRetryPolicy(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (typeof value === 'string') {
    const named = own(ctx.components.retries, value);
    if (named === undefined) {
      ctx.error('SW304', pointer, `no retry policy named '${value}' in use.retries`, { hint: didYouMean(value, Object.keys(ctx.components.retries)) });
      return;
    }
    checkInline(ctx, named, joinPointer('/use/retries', value), scope);
    return;
  }
  checkInline(ctx, value, pointer, scope);
}

function checkInline(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  const policy = asObject(value);
  if (!policy) return;
  const at = (...segments: string[]) => joinPointer(pointer, ...segments);
  checkRuntimeExpression(ctx, policy.when, at('when'), scope);
  checkRuntimeExpression(ctx, policy.exceptWhen, at('exceptWhen'), scope);
  const limit = asObject(policy.limit) ?? {};
  checkStaticDuration(ctx, asObject(limit.attempt)?.duration, at('limit', 'attempt', 'duration'));
  checkStaticDuration(ctx, limit.duration, at('limit', 'duration'));
  const jitter = asObject(policy.jitter);
  const fromMs = jitter && checkStaticDuration(ctx, jitter.from, at('jitter', 'from'));
  const toMs = jitter && checkStaticDuration(ctx, jitter.to, at('jitter', 'to'));
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    ctx.error('SW307', at('jitter'), 'jitter.from is longer than jitter.to');
  }
  checkStaticDuration(ctx, policy.delay, at('delay'));
  checkBackoff(ctx, policy.backoff, at('backoff'));
}

/** The spec leaves the backoff objects open; Baton reads `linear.increment` and `exponential.factor`. */
function checkBackoff(ctx: ValidationContext, value: unknown, pointer: string): void {
  const object = asObject(value);
  const linear = asObject(object?.linear);
  if (linear) {
    checkStaticDuration(ctx, linear.increment, joinPointer(pointer, 'linear', 'increment'), false);
    return;
  }
  const exponential = asObject(object?.exponential);
  if (exponential && exponential.factor !== undefined) {
    const factor = asNumber(exponential.factor);
    if (factor === undefined || factor < 1) ctx.error('SW307', joinPointer(pointer, 'exponential', 'factor'), 'exponential.factor must be a number of at least 1');
  }
}
