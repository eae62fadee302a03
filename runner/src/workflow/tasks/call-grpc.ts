import type { GrpcCallTask, Template } from '@baton/dsl/runtime';
import { endpointUri } from '../../contract/index.ts';
import { GRPC_ACTIVITY_TYPE } from '../../contract/index.ts';
import type { GrpcCallRequest } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { workflowError } from '../../contract/index.ts';
import { heartbeatField } from '../heartbeat.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

const DEFAULT_PORT = 443;

/** `call: grpc`: arguments evaluated here, the proto loaded and the method called by the gRPC activity. */
export const runCallGrpc: TaskHandler<GrpcCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const invalid = (title: string, detail: string) => workflowError('expression', { title, detail, instance: task.reference });
  const proto = endpointUri(evaluate(task.proto));
  if (proto === undefined || proto === '') throw invalid('Invalid proto', 'the proto endpoint must be a URI or a path');
  const host = evaluate(task.host);
  if (typeof host !== 'string' || host === '') throw invalid('Invalid host', `service.host must be a host name or address, got ${JSON.stringify(host)}`);
  const port = task.port ? Number(evaluate(task.port)) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw invalid('Invalid port', 'service.port must be a whole number from 1 to 65535');
  const request: GrpcCallRequest = {
    proto,
    service: task.service,
    method: task.method,
    host,
    port,
    arguments: task.arguments ? evaluate(task.arguments) : {},
    taskReference: task.reference,
    ...heartbeatField(task),
    ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, evaluationArgs, execution) } : {}),
    ...(task.protoAuthentication ? { protoAuthentication: authenticationArguments(task.protoAuthentication, input, evaluationArgs, execution) } : {}),
  };
  checkPayload(request, execution.maxPayloadBytes, `the gRPC request of task ${task.reference}`, task.reference);
  const options = callActivityOptions(task, execution, `${task.reference}: ${task.service}/${task.method} at ${host}:${port}`);
  return { output: await callActivity(task, options, GRPC_ACTIVITY_TYPE, [request]) };
};
