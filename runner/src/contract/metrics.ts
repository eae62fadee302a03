/**
 * The names of Baton's metrics, shared by the workflow (which emits through the SDK's replay-safe
 * workflow meter), the activities and the service (which emit through the Temporal runtime's
 * meter). One exporter serves them all with the SDK's own metrics (`runtimeTelemetry`), so an
 * operator scrapes one endpoint; docs/runbook.md lists them, ops/ builds on them.
 */

/** Counter: interpreter executions that began (first run only; continue-as-new is the same execution). */
export const EXECUTIONS_STARTED_METRIC = 'baton_executions_started';
/** Counter by `phase` (`completed`, `failed`, `cancelled`): executions that ended on their own path. */
export const EXECUTIONS_FINISHED_METRIC = 'baton_executions_finished';
/** Histogram (ms) by `phase`: from the execution's start to its end, across continue-as-new. */
export const EXECUTION_DURATION_METRIC = 'baton_execution_duration';

/** Counter by `status`, `action` and `outcome`: deliveries to callers' parked activities (Stigmer's name). */
export const COMPLETIONS_METRIC = 'baton_external_activity_completions';
/** Histogram (ms) by `action`: how long one delivery to a caller's parked activity took. */
export const COMPLETION_DURATION_METRIC = 'baton_external_activity_completion_duration';
/** Gauge by `older_than`: callbacks still waiting for their execution's end, cumulative by age. */
export const CALLBACKS_PENDING_METRIC = 'baton_callbacks_pending';

/** Counter by `method` and `code` (gRPC status name): rpcs the service answered. */
export const GRPC_REQUESTS_METRIC = 'baton_grpc_requests';
/** Histogram (ms) by `method` and `code`: how long the service took to answer. */
export const GRPC_REQUEST_DURATION_METRIC = 'baton_grpc_request_duration';
/** Counter by `code` (the problem's code, e.g. `ID_INVALID` or a DSL diagnostic): problems in refused requests. */
export const VALIDATION_FAILURES_METRIC = 'baton_validation_failures';

/** How a delivery ended, as the deliveries counter's `outcome` label says it. */
export type DeliveryOutcome = 'completed' | 'failed' | 'cancelled' | 'lost' | 'failed_delivery';

/** The `older_than` buckets of the pending-callbacks gauge, in seconds (cumulative: 0 counts them all). */
export const PENDING_AGE_BUCKETS_S: readonly number[] = [0, 60, 300, 900, 3_600, 6 * 3_600, 24 * 3_600];

/** `60` → `1m`: the label value of an age bucket. */
export function ageLabel(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds > 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0 && seconds > 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
