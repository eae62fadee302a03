/**
 * The one policy every call task schedules its activity with (`call: http`, `openapi`, `grpc`,
 * `activity`): timeouts and retries (defaults, then the document's and the task's
 * `metadata.activityOptions`), cancellation (the activity is cancelled with its scope: a task
 * timeout or a cancelled execution aborts the request), and the mapping of a failed activity to
 * the Serverless Workflow error the task raises. Which failures are transient is each activity's
 * decision (it marks the others non-retryable), so retries stay uniform here.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { ActivityOptions as PlanActivityOptions, Task } from '@baton/dsl/runtime';
import type { Execution } from './interpreter.ts';
import { toWorkflowError } from './failures.ts';

/**
 * Activity defaults, overridable per workflow through `metadata.activityOptions`: one minute per
 * attempt, three attempts with exponential backoff from 1 s (capped at 30 s).
 */
export const DEFAULT_ACTIVITY_OPTIONS = {
  startToCloseTimeoutMs: 60_000,
  retry: { maximumAttempts: 3, initialIntervalMs: 1_000, maximumIntervalMs: 30_000, backoffCoefficient: 2 },
} as const;

export function activityOptions(plan: PlanActivityOptions, summary: string): ActivityOptions {
  const retry = { ...DEFAULT_ACTIVITY_OPTIONS.retry, ...plan.retry };
  const options: ActivityOptions = {
    startToCloseTimeout: plan.startToCloseTimeoutMs ?? DEFAULT_ACTIVITY_OPTIONS.startToCloseTimeoutMs,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      maximumInterval: retry.maximumIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      ...(plan.retry?.nonRetryableErrorTypes ? { nonRetryableErrorTypes: [...plan.retry.nonRetryableErrorTypes] } : {}),
    },
    summary,
  };
  if (plan.scheduleToCloseTimeoutMs !== undefined) options.scheduleToCloseTimeout = plan.scheduleToCloseTimeoutMs;
  if (plan.heartbeatTimeoutMs !== undefined) options.heartbeatTimeout = plan.heartbeatTimeoutMs;
  return options;
}

/**
 * The task's own `metadata.activityOptions` over the document's, field by field (retry fields too).
 * Executions started before task-level options took effect keep scheduling with the document's.
 */
export const TASK_ACTIVITY_OPTIONS_PATCH = 'task-activity-options';

export function taskActivityOptions(plan: PlanActivityOptions, task: PlanActivityOptions | undefined): PlanActivityOptions {
  if (!task) return plan;
  const retry = plan.retry || task.retry ? { retry: { ...plan.retry, ...task.retry } } : {};
  return { ...plan, ...task, ...retry };
}

/** The options a call task's activity is scheduled with; `extra` (a call's own options) wins last. */
export function callActivityOptions(task: Task, execution: Execution, summary: string, extra?: PlanActivityOptions): ActivityOptions {
  const own = task.activityOptions && patched(TASK_ACTIVITY_OPTIONS_PATCH) ? task.activityOptions : undefined;
  return activityOptions(taskActivityOptions(taskActivityOptions(execution.plan.activityOptions, own), extra), summary.slice(0, 200));
}

/**
 * Runs one activity under the call policy and returns its result; a failure becomes the SW error
 * it carries (or a `kind` error for failures that carry none), with the task's reference.
 */
export async function callActivity<A extends unknown[]>(
  task: Task,
  options: ActivityOptions,
  activityType: string,
  args: A,
  kind: 'communication' | 'runtime' = 'communication',
): Promise<unknown> {
  const activities = proxyActivities<Record<string, (...args: A) => Promise<unknown>>>(options);
  try {
    return await activities[activityType]!(...args);
  } catch (error) {
    throw toWorkflowError(error, task.reference, kind);
  }
}
