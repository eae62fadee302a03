/** Retry policies: inline in `catch.retry`, or named in `use.retries`. */
import type { Backoff, RetryPolicy } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { staticMs } from './durations.ts';
import { runtimeExpression } from './expressions.ts';
import { asNumber, asObject, own } from '../document/values.ts';

export function retryPolicy(ctx: CompileContext, value: unknown): RetryPolicy | undefined {
  const policy = asObject(typeof value === 'string' ? own(ctx.components.retries, value) : value);
  if (!policy) return undefined;
  const when = runtimeExpression(ctx, policy.when);
  const exceptWhen = runtimeExpression(ctx, policy.exceptWhen);
  const limit = asObject(policy.limit) ?? {};
  const attempt = asObject(limit.attempt) ?? {};
  const attemptCount = asNumber(attempt.count);
  const attemptDurationMs = staticMs(attempt.duration);
  const durationMs = staticMs(limit.duration);
  const jitter = asObject(policy.jitter);
  const fromMs = jitter && staticMs(jitter.from);
  const toMs = jitter && staticMs(jitter.to);
  return {
    ...(when ? { when } : {}),
    ...(exceptWhen ? { exceptWhen } : {}),
    delayMs: staticMs(policy.delay) ?? 0,
    backoff: backoff(policy.backoff),
    limit: {
      ...(attemptCount !== undefined ? { attemptCount } : {}),
      ...(attemptDurationMs !== undefined ? { attemptDurationMs } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
    },
    ...(fromMs !== undefined && toMs !== undefined ? { jitter: { fromMs, toMs } } : {}),
  };
}

/** The spec leaves the backoff objects open; Baton reads `linear.increment` and `exponential.factor`. */
function backoff(value: unknown): Backoff {
  const object = asObject(value);
  const linear = asObject(object?.linear);
  if (linear) {
    const incrementMs = staticMs(linear.increment);
    return { kind: 'linear', ...(incrementMs !== undefined ? { incrementMs } : {}) };
  }
  const exponential = asObject(object?.exponential);
  if (exponential) {
    const factor = asNumber(exponential.factor);
    return { kind: 'exponential', ...(factor !== undefined ? { factor } : {}) };
  }
  return { kind: 'constant' };
}
