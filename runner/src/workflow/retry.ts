/**
 * The spec's retry policy arithmetic: delay per attempt with constant, linear or exponential
 * backoff, plus jitter drawn from the workflow's seeded Math.random (so it replays identically).
 */
import type { RetryPolicy } from '@baton/dsl/runtime';

/** Delay before retry number `retry` (1 for the first retry). */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  const base = policy.delayMs;
  let delay: number;
  switch (policy.backoff.kind) {
    case 'constant':
      delay = base;
      break;
    case 'linear':
      delay = base + (retry - 1) * (policy.backoff.incrementMs ?? base);
      break;
    case 'exponential':
      delay = base * (policy.backoff.factor ?? 2) ** (retry - 1);
      break;
  }
  if (policy.jitter) {
    const { fromMs, toMs } = policy.jitter;
    delay += fromMs + Math.random() * Math.max(0, toMs - fromMs);
  }
  return Math.max(0, Math.round(delay));
}

/** Whether another attempt is allowed after `attempts` attempts, started at `firstStartedAtMs`. */
export function mayRetry(policy: RetryPolicy, attempts: number, firstStartedAtMs: number, nextDelayMs: number, nowMs: number): boolean {
  const { attemptCount, durationMs } = policy.limit;
  if (attemptCount !== undefined && attempts >= attemptCount) return false;
  if (durationMs !== undefined && nowMs + nextDelayMs - firstStartedAtMs >= durationMs) return false;
  return true;
}
