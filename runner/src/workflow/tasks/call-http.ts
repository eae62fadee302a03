import { patched, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { ActivityOptions as PlanActivityOptions, HttpCallTask, HttpSecretField, Template } from '@baton/dsl/runtime';
import { endpointUri, expandUriTemplate, stringMap } from '../../contract/index.ts';
import type { HttpActivities, HttpCallRequest, SecretFieldTemplates } from '../../contract/index.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution } from '../interpreter.ts';
import { workflowError } from '../../contract/index.ts';
import { toWorkflowError } from '../failures.ts';
import { checkPayload } from '../payload-limit.ts';
import { authenticationArguments } from '../authentication.ts';
import { heartbeatField } from '../heartbeat.ts';
import type { TaskHandler } from './types.ts';

export { expandUriTemplate } from '../../contract/index.ts';

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

export const runCallHttp: TaskHandler<HttpCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  // Arguments that read $secrets are left to the activity: their values must never enter history.
  const secret = new Set<HttpSecretField>(task.secretFields ?? []);
  let uri = '';
  if (!secret.has('endpoint')) {
    const endpoint = evaluate(task.endpoint);
    const uriTemplate = endpointUri(endpoint);
    if (uriTemplate === undefined) {
      const written = typeof endpoint === 'object' && endpoint !== null ? (endpoint as { uri?: unknown }).uri : endpoint;
      throw workflowError('expression', {
        title: 'Invalid endpoint',
        detail: `the endpoint must be a URI string, got ${JSON.stringify(written)}`,
        instance: task.reference,
      });
    }
    uri = expandUriTemplate(uriTemplate, input);
  }
  const map = (field: 'headers' | 'query') => {
    const template = task[field];
    if (!template || secret.has(field)) return {};
    const value = stringMap(evaluate(template));
    if (!value) throw workflowError('expression', { title: `Invalid ${field}`, detail: `${field} must be an object`, instance: task.reference });
    return value;
  };
  const request: HttpCallRequest = {
    method: task.method,
    uri,
    headers: map('headers'),
    query: map('query'),
    ...(task.body && !secret.has('body') ? { body: evaluate(task.body) } : {}),
    output: task.outputFormat,
    redirect: task.redirect,
    taskReference: task.reference,
    ...(secret.size > 0 ? { secretFields: secretFieldTemplates(task, secret, input, evaluationArgs, execution) } : {}),
    ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, evaluationArgs, execution) } : {}),
    ...heartbeatField(task),
  };
  checkPayload(request, execution.maxPayloadBytes, `the HTTP request of task ${task.reference}`, task.reference);
  const target = secret.has('endpoint') ? '(endpoint reads secrets)' : request.uri;
  const summary = `${task.reference}: ${request.method.toUpperCase()} ${target}`.slice(0, 200);
  const own = task.activityOptions && patched(TASK_ACTIVITY_OPTIONS_PATCH) ? task.activityOptions : undefined;
  const { httpCall } = proxyActivities<HttpActivities>(activityOptions(taskActivityOptions(execution.plan.activityOptions, own), summary));
  try {
    return { output: await httpCall(request) };
  } catch (error) {
    throw toWorkflowError(error, task.reference, 'communication');
  }
};

function secretFieldTemplates(
  task: HttpCallTask,
  secret: ReadonlySet<HttpSecretField>,
  input: unknown,
  args: ExpressionArguments,
  execution: Execution,
): SecretFieldTemplates {
  const templates: { -readonly [K in HttpSecretField]?: Template } = {};
  for (const field of secret) {
    const template = task[field];
    if (template) templates[field] = template;
  }
  return {
    ...templates,
    data: input,
    variables: execution.evaluator.bindings(Object.values(templates), args),
    now: Date.now() / 1000,
    declared: execution.plan.secrets,
  };
}
