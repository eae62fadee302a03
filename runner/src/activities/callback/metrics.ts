/**
 * Callback metrics, after Stigmer's runbook: external activity completions by status and action,
 * and how long each took. Emitted through the Temporal runtime's meter, so they leave the process
 * by whatever exporter the runtime was installed with (see `runtimeTelemetry` in runner.ts).
 */
import type { MetricMeter } from '@temporalio/common';
import type { CallerAction } from './caller.ts';
import type { DeliveryReport } from '../../contract/index.ts';

export const COMPLETIONS_METRIC = 'baton_external_activity_completions';
export const COMPLETION_DURATION_METRIC = 'baton_external_activity_completion_duration';

export function recordDelivery(meter: MetricMeter, action: CallerAction['kind'], report: DeliveryReport, durationMs: number): void {
  meter
    .createCounter(COMPLETIONS_METRIC, '1', "deliveries to callers' parked activities, by outcome")
    .add(1, { status: report.state.toLowerCase(), action });
  meter
    .createHistogram(COMPLETION_DURATION_METRIC, 'int', 'ms', "time to deliver to a caller's parked activity")
    .record(Math.max(0, Math.round(durationMs)), { action });
}
