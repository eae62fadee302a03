/**
 * The workflow side of the caller: call the runner from a Temporal workflow as if it were an
 * ordinary activity that happens to take hours. Sandbox-safe: imports only `@temporalio/workflow` and
 * this package's type/error modules.
 *
 * The defaults are the handshake's, not Temporal's:
 * - startToCloseTimeout 24 h: how long the caller is willing to wait for the YAML workflow.
 * - heartbeatTimeout 30 s: the runner heartbeats the parked activity every 10 s while the
 *   execution runs, so three missed beats mean the runner is gone and the activity is retried.
 * - retry: 1 s doubling to 1 min, 10 attempts. Every attempt resends the same
 *   workflowExecutionId with its own new task token, so a retry re-targets the runner's callback
 *   to itself instead of starting a second execution. Refusals and the YAML workflow's own failure
 *   are non-retryable.
 * - cancellationType WAIT_CANCELLATION_COMPLETED: cancelling the calling workflow's scope asks the
 *   runner (through the next heartbeat) to cancel the execution, and the caller waits until the
 *   runner confirms, so nothing keeps running unseen.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import { CallerFailureType } from './errors.ts';
import type { ExecuteOnRunnerArgs, RunnerActivities } from './types.ts';

/** How often the runner heartbeats a parked caller activity (its default `heartbeatIntervalMs`). */
export const RUNNER_HEARTBEAT_INTERVAL_MS = 10_000;

export const EXECUTE_ON_RUNNER_DEFAULTS = {
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: 3 * RUNNER_HEARTBEAT_INTERVAL_MS,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [CallerFailureType.rejected, CallerFailureType.invalidArgs],
  },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
} as const satisfies ActivityOptions;

/**
 * Runs a YAML workflow on the Baton runner and resolves with its output. Throws an
 * `ActivityFailure`; classify it with `runnerErrorOf` (the YAML workflow's failure, a refusal,
 * a cancellation, a timeout).
 *
 * `options` override the defaults above field by field, `retry` too (so overriding
 * `maximumAttempts` keeps the non-retryable error types).
 */
export function executeOnRunner<Output = unknown>(args: ExecuteOnRunnerArgs, options: ActivityOptions = {}): Promise<Output> {
  const { executeOnRunner: run } = proxyActivities<RunnerActivities>({
    ...EXECUTE_ON_RUNNER_DEFAULTS,
    ...options,
    retry: { ...EXECUTE_ON_RUNNER_DEFAULTS.retry, ...options.retry },
  });
  return run(args) as Promise<Output>;
}

export { CallerFailureType, RunnerFailureType, runnerErrorOf, runnerFailureOf } from './errors.ts';
export type { RunnerError, RunnerFailure, RunnerRejection } from './errors.ts';
export type { ExecuteOnRunnerArgs } from './types.ts';
