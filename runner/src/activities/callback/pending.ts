/**
 * The callbacks this worker is watching, as a gauge of how many are older than each age bucket
 * (`baton_callbacks_pending{older_than="15m"}`). Every pending callback with a heartbeat watcher is
 * watched by exactly one worker's `watchCaller`, so summing the gauge over workers counts the
 * callbacks a cluster is holding; the buckets are cumulative so an alert reads one series.
 *
 * A callback whose execution ends within one heartbeat interval never gets a watcher (a timer
 * stands in for it), so it is not counted: such callbacks are never the ones pending too long.
 */
import type { MetricGauge, MetricMeter } from '@temporalio/common';
import { ageLabel, CALLBACKS_PENDING_METRIC, PENDING_AGE_BUCKETS_S } from '../../contract/index.ts';

/** How often the gauge is refreshed while callbacks are watched: ages move on their own. */
const REFRESH_MS = 5_000;

export class PendingCallbacks {
  private readonly since = new Map<symbol, number>();
  private readonly gauge: MetricGauge;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(meter: MetricMeter, private readonly now: () => number = Date.now) {
    this.gauge = meter.createGauge(CALLBACKS_PENDING_METRIC, 'int', '1', 'callbacks waiting for their execution to end, cumulative by age');
    this.refresh();
  }

  /** Counts a callback pending since `sinceMs` until the returned function is called. */
  watch(sinceMs: number): () => void {
    const key = Symbol('callback');
    this.since.set(key, sinceMs);
    this.refresh();
    // Unref'd: a gauge must never keep a stopping process alive.
    this.timer ??= setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref?.();
    return () => {
      this.since.delete(key);
      if (this.since.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      this.refresh();
    };
  }

  /** Pending callbacks older than each bucket, by bucket label. */
  counts(): Record<string, number> {
    const nowMs = this.now();
    const counts: Record<string, number> = {};
    for (const bucket of PENDING_AGE_BUCKETS_S) {
      let count = 0;
      for (const sinceMs of this.since.values()) if (nowMs - sinceMs >= bucket * 1_000) count++;
      counts[ageLabel(bucket)] = count;
    }
    return counts;
  }

  private refresh(): void {
    for (const [label, count] of Object.entries(this.counts())) this.gauge.set(count, { older_than: label });
  }
}
