/**
 * Callback metrics, after Stigmer's runbook: external activity completions by status and action
 * (and by `outcome`, the five ways a delivery ends), and how long each took. Emitted through the
 * Temporal runtime's meter, so they leave the process by whatever exporter the runtime was
 * installed with (see `runtimeTelemetry` in runner.ts).
 */
import type { MetricMeter } from '@temporalio/common';
import { COMPLETION_DURATION_METRIC, COMPLETIONS_METRIC } from '../../contract/index.ts';
import type { DeliveryOutcome, DeliveryReport } from '../../contract/index.ts';
import type { CallerAction } from './caller.ts';

const DELIVERED: Record<CallerAction['kind'], DeliveryOutcome> = { complete: 'completed', fail: 'failed', cancel: 'cancelled' };

export function deliveryOutcome(action: CallerAction['kind'], report: DeliveryReport): DeliveryOutcome {
  switch (report.state) {
    case 'COMPLETED':
      return DELIVERED[action];
    case 'LOST':
      return 'lost';
    case 'FAILED_DELIVERY':
      return 'failed_delivery';
  }
}

export function recordDelivery(meter: MetricMeter, action: CallerAction['kind'], report: DeliveryReport, durationMs: number): void {
  meter
    .createCounter(COMPLETIONS_METRIC, '1', "deliveries to callers' parked activities, by outcome")
    .add(1, { status: report.state.toLowerCase(), action, outcome: deliveryOutcome(action, report) });
  meter
    .createHistogram(COMPLETION_DURATION_METRIC, 'int', 'ms', "time to deliver to a caller's parked activity")
    .record(Math.max(0, Math.round(durationMs)), { action });
}
