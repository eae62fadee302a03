import type { McpCallTask, McpTransport, Template } from '@baton/dsl/runtime';
import { endpointUri, MCP_ACTIVITY_TYPE, stringMap, workflowError } from '../../contract/index.ts';
import type { McpCallRequest, McpTransportRequest } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

/** `call: mcp`: arguments evaluated here; the server reached (or started) and the method called by the MCP activity. */
export const runCallMcp: TaskHandler<McpCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const invalid = (title: string, detail: string) => workflowError('expression', { title, detail, instance: task.reference });
  const parameters = task.parameters ? evaluate(task.parameters) : {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw invalid('Invalid parameters', 'parameters must be an object (for tools/call: { name, arguments })');
  }
  const transport = evaluateTransport(task.transport, evaluate, invalid);
  const request: McpCallRequest = {
    method: task.method,
    parameters: parameters as Record<string, unknown>,
    protocolVersion: task.protocolVersion,
    transport,
    taskReference: task.reference,
    ...(task.requestTimeoutMs !== undefined ? { requestTimeoutMs: task.requestTimeoutMs } : {}),
    ...(task.client ? { client: task.client } : {}),
    ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, evaluationArgs, execution) } : {}),
  };
  checkPayload(request, execution.maxPayloadBytes, `the MCP request of task ${task.reference}`, task.reference);
  const name = task.method === 'tools/call' || task.method === 'prompts/get' ? ` ${String(request.parameters.name)}` : '';
  const options = callActivityOptions(task, execution, `${task.reference}: ${task.method}${name}`);
  return { output: await callActivity(task, options, MCP_ACTIVITY_TYPE, [request]) };
};

function evaluateTransport(
  transport: McpTransport,
  evaluate: (template: Template) => unknown,
  invalid: (title: string, detail: string) => Error,
): McpTransportRequest {
  if (transport.kind === 'http') {
    const endpoint = endpointUri(evaluate(transport.endpoint));
    if (endpoint === undefined || endpoint === '') throw invalid('Invalid endpoint', 'the MCP endpoint must be an http or https URI');
    const headers = transport.headers ? stringMap(evaluate(transport.headers)) : {};
    if (!headers) throw invalid('Invalid headers', 'headers must be an object of name → value');
    return { kind: 'http', endpoint, headers };
  }
  const command = evaluate(transport.command);
  if (typeof command !== 'string' || command.trim() === '') throw invalid('Invalid command', 'the MCP server command must be a program name or path');
  const argumentsValue = transport.arguments ? evaluate(transport.arguments) : [];
  if (!Array.isArray(argumentsValue) || argumentsValue.some((item) => typeof item !== 'string')) throw invalid('Invalid arguments', 'arguments must be a list of strings');
  const environment = transport.environment ? stringMap(evaluate(transport.environment)) : {};
  if (!environment) throw invalid('Invalid environment', 'environment must be an object of name → value');
  return { kind: 'stdio', command, arguments: argumentsValue as string[], environment };
}
