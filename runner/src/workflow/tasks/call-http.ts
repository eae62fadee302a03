import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { ActivityOptions as PlanActivityOptions, HttpCallTask } from '@baton/dsl/runtime';
import type { HttpActivities, HttpCallRequest } from '../../activities/http/request.ts';
import { workflowError } from '../errors.ts';
import { toWorkflowError } from '../failures.ts';
import type { TaskHandler } from './types.ts';

/**
 * Activity defaults, overridable per workflow through `metadata.activityOptions`: one minute per
 * attempt, three attempts with exponential backoff from 1 s (capped at 30 s). Which failures retry
 * is the activity's decision (408/429/5xx yes, other 4xx no), not the policy's.
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

export const runCallHttp: TaskHandler<HttpCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: HttpCallTask['endpoint']) =>
    execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const endpoint = evaluate(task.endpoint);
  const uriTemplate = typeof endpoint === 'object' && endpoint !== null ? (endpoint as { uri?: unknown }).uri : endpoint;
  if (typeof uriTemplate !== 'string') {
    throw workflowError('expression', {
      title: 'Invalid endpoint',
      detail: `the endpoint must be a URI string, got ${JSON.stringify(uriTemplate)}`,
      instance: task.reference,
    });
  }
  const request: HttpCallRequest = {
    method: task.method,
    uri: expandUriTemplate(uriTemplate, input),
    headers: stringMap(task.headers ? evaluate(task.headers) : undefined, 'headers', task.reference),
    query: stringMap(task.query ? evaluate(task.query) : undefined, 'query', task.reference),
    ...(task.body ? { body: evaluate(task.body) } : {}),
    output: task.outputFormat,
    redirect: task.redirect,
    taskReference: task.reference,
  };
  const summary = `${task.reference}: ${request.method.toUpperCase()} ${request.uri}`.slice(0, 200);
  const { httpCall } = proxyActivities<HttpActivities>(activityOptions(execution.plan.activityOptions, summary));
  try {
    return { output: await httpCall(request) };
  } catch (error) {
    throw toWorkflowError(error, task.reference, 'communication');
  }
};

/** RFC 6570 level-1 expansion: `{name}` becomes the percent-encoded field of the task input. */
export function expandUriTemplate(template: string, input: unknown): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_match, name: string) => {
    let value: unknown = input;
    for (const segment of name.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
    if (value === undefined || value === null) return '';
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

function stringMap(value: unknown, what: string, instance: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw workflowError('expression', { title: `Invalid ${what}`, detail: `${what} must be an object`, instance });
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || entry === null) continue;
    result[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  }
  return result;
}
