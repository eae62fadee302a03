import type { HttpCallTask, HttpSecretField, Template } from '@baton/dsl/runtime';
import { endpointUri, expandUriTemplate, stringMap } from '../../contract/index.ts';
import { HTTP_ACTIVITY_TYPE } from '../../contract/index.ts';
import type { HttpCallRequest, SecretFieldTemplates } from '../../contract/index.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution } from '../interpreter.ts';
import { workflowError } from '../../contract/index.ts';
import { checkPayload } from '../payload-limit.ts';
import { authenticationArguments } from '../authentication.ts';
import { heartbeatField } from '../heartbeat.ts';
import type { TaskHandler } from './types.ts';

export { expandUriTemplate } from '../../contract/index.ts';

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
  const options = callActivityOptions(task, execution, `${task.reference}: ${request.method.toUpperCase()} ${target}`);
  return { output: await callActivity(task, options, HTTP_ACTIVITY_TYPE, [request]) };
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
