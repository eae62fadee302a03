/** Retry policies: inline in `catch.retry`, or named in `use.retries`. */
import { joinPointer } from '../parse/pointer.ts';
import type { Backoff, RetryPolicy } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';
import { runtimeExpression } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asNumber, asObject, own } from '../document/values.ts';

export function retryPolicy(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): RetryPolicy | undefined {
  if (typeof value === 'string') {
    const named = own(ctx.components.retries, value);
    if (named === undefined) {
      ctx.error('SW304', pointer, `no retry policy named '${value}' in use.retries`, { hint: didYouMean(value, Object.keys(ctx.components.retries)) });
      return undefined;
    }
    return inline(ctx, named, joinPointer('/use/retries', value), scope);
  }
  return inline(ctx, value, pointer, scope);
}

function inline(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): RetryPolicy | undefined {
  const policy = asObject(value);
  if (!policy) return undefined;
  const at = (...segments: string[]) => joinPointer(pointer, ...segments);
  const when = runtimeExpression(ctx, policy.when, at('when'), scope);
  const exceptWhen = runtimeExpression(ctx, policy.exceptWhen, at('exceptWhen'), scope);
  const limit = asObject(policy.limit) ?? {};
  const attempt = asObject(limit.attempt) ?? {};
  const attemptCount = asNumber(attempt.count);
  const attemptDurationMs = staticMs(ctx, attempt.duration, at('limit', 'attempt', 'duration'));
  const durationMs = staticMs(ctx, limit.duration, at('limit', 'duration'));
  const jitter = asObject(policy.jitter);
  const fromMs = jitter && staticMs(ctx, jitter.from, at('jitter', 'from'));
  const toMs = jitter && staticMs(ctx, jitter.to, at('jitter', 'to'));
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    ctx.error('SW307', at('jitter'), 'jitter.from is longer than jitter.to');
  }
  return {
    ...(when ? { when } : {}),
    ...(exceptWhen ? { exceptWhen } : {}),
    delayMs: staticMs(ctx, policy.delay, at('delay')) ?? 0,
    backoff: backoff(ctx, policy.backoff, at('backoff')),
    limit: {
      ...(attemptCount !== undefined ? { attemptCount } : {}),
      ...(attemptDurationMs !== undefined ? { attemptDurationMs } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
    },
    ...(fromMs !== undefined && toMs !== undefined ? { jitter: { fromMs, toMs } } : {}),
  };
}

/** The spec leaves the backoff objects open; Baton reads `linear.increment` and `exponential.factor`. */
function backoff(ctx: CompileContext, value: unknown, pointer: string): Backoff {
  const object = asObject(value);
  const linear = asObject(object?.linear);
  if (linear) {
    const incrementMs = staticMs(ctx, linear.increment, joinPointer(pointer, 'linear', 'increment'), false);
    return { kind: 'linear', ...(incrementMs !== undefined ? { incrementMs } : {}) };
  }
  const exponential = asObject(object?.exponential);
  if (exponential) {
    const factor = asNumber(exponential.factor);
    if (exponential.factor !== undefined && (factor === undefined || factor < 1)) {
      ctx.error('SW307', joinPointer(pointer, 'exponential', 'factor'), 'exponential.factor must be a number of at least 1');
    }
    return { kind: 'exponential', ...(factor !== undefined && factor >= 1 ? { factor } : {}) };
  }
  return { kind: 'constant' };
}
