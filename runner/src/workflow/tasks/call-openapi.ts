import type { OpenApiCallTask, Template } from '@baton/dsl/runtime';
import { endpointUri } from '../../contract/index.ts';
import { OPENAPI_ACTIVITY_TYPE } from '../../contract/index.ts';
import type { OpenApiCallRequest } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { workflowError } from '../../contract/index.ts';
import { heartbeatField } from '../heartbeat.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

/** `call: openapi`: arguments evaluated here, the document read and the operation called by the OpenAPI activity. */
export const runCallOpenApi: TaskHandler<OpenApiCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const document = endpointUri(evaluate(task.document));
  if (document === undefined || document === '') {
    throw workflowError('expression', { title: 'Invalid document', detail: 'the OpenAPI document endpoint must be a URI or a path', instance: task.reference });
  }
  const parameters = task.parameters ? evaluate(task.parameters) : {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw workflowError('expression', { title: 'Invalid parameters', detail: 'parameters must be an object of name → value', instance: task.reference });
  }
  const request: OpenApiCallRequest = {
    document,
    operationId: task.operationId,
    parameters: parameters as Record<string, unknown>,
    output: task.outputFormat,
    redirect: task.redirect,
    taskReference: task.reference,
    ...heartbeatField(task),
    ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, evaluationArgs, execution) } : {}),
    ...(task.documentAuthentication ? { documentAuthentication: authenticationArguments(task.documentAuthentication, input, evaluationArgs, execution) } : {}),
  };
  checkPayload(request, execution.maxPayloadBytes, `the OpenAPI request of task ${task.reference}`, task.reference);
  const options = callActivityOptions(task, execution, `${task.reference}: ${task.operationId}`);
  return { output: await callActivity(task, options, OPENAPI_ACTIVITY_TYPE, [request]) };
};
