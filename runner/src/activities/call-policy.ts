/**
 * The activity half of the call policy every call kind shares (see workflow/call-policy.ts):
 * heartbeats that deliver a cancellation as an aborted signal, and failures that carry the
 * Serverless Workflow error in their details, retryable only when the cause is transient.
 */
import { Context } from '@temporalio/activity';
import type { ApplicationFailure } from '@temporalio/common';
import { problemFailure, StandardError } from '../contract/index.ts';
import type { StandardErrorKind } from '../contract/index.ts';

/** Heartbeats are what deliver a cancellation to a running activity; its work is then aborted. */
const HEARTBEAT_EVERY_MS = 1_000;

export type ErrorKind = Exclude<StandardErrorKind, 'expression'>;

export interface Problem {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The calling task's reference. */
  readonly instance: string;
  /** Transient (unreachable, overloaded …): the activity's retry policy may try again. */
  readonly retryable?: boolean;
  /** When the other side said when to come back (`Retry-After`). */
  readonly retryAfterMs?: number;
}

/** A failure carrying the SW error (the contract's one conversion); its Temporal type is the error type, so `nonRetryableErrorTypes` can name it. */
export function callFailure(problem: Problem): ApplicationFailure {
  return problemFailure(
    { type: StandardError[problem.kind].type, status: problem.status, title: problem.title, detail: problem.detail, instance: problem.instance },
    { nonRetryable: !problem.retryable, ...(problem.retryAfterMs === undefined ? {} : { nextRetryDelayMs: problem.retryAfterMs }) },
  );
}

/** The activity context, or undefined when called directly (tests, local tools). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` with heartbeats every second (or every `everyMs`: Zigflow's `metadata.heartbeat`); the signal aborts when the activity is cancelled
 * (task timeout, cancelled execution), and a failure caused by that abort is the cancellation.
 */
export async function withHeartbeats<T>(work: (signal: AbortSignal | undefined) => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const activity = activityContext();
  if (!activity) return work(undefined);
  const heartbeat = setInterval(() => activity.heartbeat(), everyMs);
  try {
    return await work(activity.cancellationSignal);
  } catch (error) {
    if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason ?? error;
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Waits for shared work (a document several activities load at once) unless this activity is
 * cancelled first: the work goes on for the others, this activity stops waiting.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unparseable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
