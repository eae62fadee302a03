/**
 * Admission control for starts: at most `maxConcurrent` start calls to Temporal at once, at most
 * `maxQueued` more waiting their turn; past that a request is refused at once with
 * RESOURCE_EXHAUSTED and a retry hint. Why: every call to Temporal is bounded (10 s), and Temporal
 * works through a burst at its own pace — a dev server on 2 cores starts ≈ 90 workflows a second,
 * so 1,000 starts sent at once all wait in Temporal's queue and the last ones pass the bound,
 * some after Temporal had already started them. Holding the burst here keeps each start's own wait
 * short, and a request is either started or refused before anything reaches Temporal.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RpcError } from './errors.ts';

export interface AdmissionLimits {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

interface Waiter {
  readonly admit: () => void;
  readonly abandoned: () => boolean;
  readonly refuse: (error: RpcError) => void;
}

const MIN_RETRY_AFTER_MS = 100;
const MAX_RETRY_AFTER_MS = 30_000;

export class Admission {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  /** Moving average of how long one admitted piece of work takes, for the retry hint. */
  private averageMs = 50;

  constructor(private readonly limits: AdmissionLimits) {}

  /**
   * Runs `work` when a slot is free. `abandoned` is asked when the turn comes: a caller that gave
   * up meanwhile (cancelled, deadline passed) is skipped, so nothing starts that nobody waits for.
   */
  async run<T>(work: () => Promise<T>, abandoned: () => boolean = () => false): Promise<T> {
    if (this.running >= this.limits.maxConcurrent) {
      if (this.waiting.length >= this.limits.maxQueued) throw this.busy();
      await new Promise<void>((admit, refuse) => this.waiting.push({ admit, abandoned, refuse }));
    } else {
      this.running++;
    }
    const began = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = this.averageMs * 0.9 + (performance.now() - began) * 0.1;
      this.release();
    }
  }

  /** Requests in flight and waiting: for logs and tests. */
  load(): { readonly running: number; readonly queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Hands the slot to the next waiter still interested, or frees it. */
  private release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (!next.abandoned()) {
        next.admit();
        return;
      }
      next.refuse(new RpcError(GrpcStatus.CANCELLED, 'the call was cancelled while it waited for its turn; nothing was started'));
    }
    this.running--;
  }

  private busy(): RpcError {
    const retryAfterMs = Math.min(
      MAX_RETRY_AFTER_MS,
      Math.max(MIN_RETRY_AFTER_MS, Math.ceil(((this.waiting.length + 1) * this.averageMs) / this.limits.maxConcurrent)),
    );
    return new RpcError(
      GrpcStatus.RESOURCE_EXHAUSTED,
      `the runner is busy (${this.running} starts in flight, ${this.waiting.length} waiting; --max-queued-starts): ` +
        `nothing was started; try again in ${retryAfterMs} ms`,
      [],
      retryAfterMs,
    );
  }
}
