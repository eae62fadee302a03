/**
 * Execution metrics, emitted from the interpreter workflow through the SDK's workflow meter: it
 * forwards to the worker's runtime meter and stays silent while a history is replayed, so a
 * replayed or re-run workflow task does not count an execution twice and no command is added to
 * history (nothing for `patched()` to guard).
 */
import { metricMeter } from '@temporalio/workflow';
import { EXECUTION_DURATION_METRIC, EXECUTIONS_FINISHED_METRIC, EXECUTIONS_STARTED_METRIC } from '../contract/index.ts';
import type { ExecutionOutcome } from './outcome.ts';

export function recordExecutionStarted(): void {
  metricMeter.createCounter(EXECUTIONS_STARTED_METRIC, '1', 'interpreter executions that began').add(1);
}

export function recordExecutionFinished(outcome: ExecutionOutcome, durationMs: number): void {
  const phase = outcome.kind;
  metricMeter.createCounter(EXECUTIONS_FINISHED_METRIC, '1', 'interpreter executions that ended, by phase').add(1, { phase });
  metricMeter
    .createHistogram(EXECUTION_DURATION_METRIC, 'int', 'ms', 'time from the start of an execution to its end, by phase')
    .record(Math.max(0, Math.round(durationMs)), { phase });
}
