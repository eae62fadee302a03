/**
 * Checking requests before anything touches Temporal. Each problem becomes a RequestProblem;
 * all problems of a request are reported together.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { WorkflowExecuteInput } from '@baton/proto';
import type { Plan } from '@baton/dsl';
import { MalformedRequest } from './codec.ts';
import type { Decoded } from './codec.ts';
import { invalidArgument, RpcError } from './errors.ts';
import type { RequestProblem } from './errors.ts';
import type { StartRequest } from './executions.ts';

/** What the service needs from the DSL: YAML in, plan or positioned diagnostics out. */
export type CompileWorkflow = (yaml: string, options: { readonly file: string }) => CompileResult;

export type CompileResult =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly diagnostics: readonly CompileDiagnostic[] };

export interface CompileDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly severity?: string;
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
  readonly taskPath: string;
}

export const MAX_EXECUTION_ID_LENGTH = 255;
/** Temporal task tokens are a few hundred bytes; anything far larger is not one. */
export const MAX_CALLBACK_TOKEN_BYTES = 16 * 1024;
const EXECUTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]*$/;
const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const YAML_FILE = 'workflow_yaml';

export interface ExecuteInputLimits {
  readonly maxYamlBytes: number;
  readonly compile: CompileWorkflow;
}

export function checkExecuteInput(request: Decoded<WorkflowExecuteInput>, limits: ExecuteInputLimits): StartRequest {
  const decoded = checkDecoded(request);
  const problems: RequestProblem[] = [];
  const idProblem = executionIdProblem(decoded.workflowExecutionId, 'workflow_execution_id');
  if (idProblem) problems.push(idProblem);
  if (decoded.callbackToken.length > MAX_CALLBACK_TOKEN_BYTES) {
    problems.push({
      field: 'callback_token',
      code: 'TOKEN_TOO_LONG',
      message: `is ${decoded.callbackToken.length} bytes; a Temporal task token is far below ${MAX_CALLBACK_TOKEN_BYTES}`,
    });
  }
  if (decoded.callbackNamespace !== '' && !NAMESPACE.test(decoded.callbackNamespace)) {
    problems.push({ field: 'callback_namespace', code: 'NAMESPACE_INVALID', message: `"${clip(decoded.callbackNamespace)}" is not a Temporal namespace name` });
  }
  const yaml = decoded.workflowYaml;
  const yamlBytes = Buffer.byteLength(yaml, 'utf8');
  if (yamlBytes > limits.maxYamlBytes) {
    throw new RpcError(
      GrpcStatus.RESOURCE_EXHAUSTED,
      `workflow_yaml is ${yamlBytes} bytes; this runner accepts at most ${limits.maxYamlBytes} (--max-yaml-bytes)`,
    );
  }
  if (yaml.trim() === '') {
    problems.push({ field: YAML_FILE, code: 'YAML_MISSING', message: 'is empty; send the workflow document' });
    throw invalidArgument(problems);
  }
  const compiled = limits.compile(yaml, { file: YAML_FILE });
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) {
      if (d.severity !== undefined && d.severity !== 'error') continue;
      problems.push({
        field: YAML_FILE,
        code: d.code,
        message: d.message,
        ...(d.line > 0 ? { line: d.line, column: d.column } : {}),
        ...(d.pointer ? { pointer: d.pointer } : {}),
        ...(d.taskPath ? { taskPath: d.taskPath } : {}),
      });
    }
  }
  if (problems.length > 0 || !compiled.ok) throw invalidArgument(problems);
  return {
    executionId: decoded.workflowExecutionId,
    plan: compiled.plan,
    input: decoded.input ?? {},
    ...(decoded.callbackToken.length > 0 ? { callbackToken: decoded.callbackToken } : {}),
    ...(decoded.callbackNamespace ? { callbackNamespace: decoded.callbackNamespace } : {}),
  };
}

/** For the rpcs that only name an execution. */
export function checkExecutionId<T extends { executionId: string }>(request: Decoded<T>): T {
  const decoded = checkDecoded(request);
  const problem = executionIdProblem(decoded.executionId, 'execution_id');
  if (problem) throw invalidArgument([problem]);
  return decoded;
}

function checkDecoded<T>(request: Decoded<T>): T {
  if (request instanceof MalformedRequest) {
    throw invalidArgument([{ field: request.field, code: request.code, message: request.reason }]);
  }
  return request;
}

export function executionIdProblem(id: string, field: string): RequestProblem | undefined {
  if (id === '') return { field, code: 'ID_MISSING', message: 'is required' };
  if (id.length > MAX_EXECUTION_ID_LENGTH) {
    return { field, code: 'ID_TOO_LONG', message: `is ${id.length} characters; at most ${MAX_EXECUTION_ID_LENGTH} are allowed` };
  }
  if (!EXECUTION_ID.test(id)) {
    return {
      field,
      code: 'ID_INVALID',
      message: `"${clip(id)}" may use only letters, digits and . _ : @ / + = - (starting with a letter or digit)`,
    };
  }
  return undefined;
}

function clip(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
