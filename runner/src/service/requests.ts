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
import type { WorkflowRef } from '../contract/index.ts';

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
/** Document namespaces, names and versions (semver, with its pre-release and build parts). */
const REFERENCE_PART = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export interface ExecuteInputLimits {
  readonly maxYamlBytes: number;
  readonly compile: CompileWorkflow;
}

/** A start whose document is either here (compiled) or deployed (to be looked up). */
export type CheckedStart = Omit<StartRequest, 'plan'> & StartSource;
type StartSource = { readonly plan: Plan; readonly source: string } | { readonly reference: WorkflowRef };

export function checkExecuteInput(request: Decoded<WorkflowExecuteInput>, limits: ExecuteInputLimits): CheckedStart {
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
  const reference = decoded.workflowReference;
  if (reference && decoded.workflowYaml !== '') {
    problems.push({ field: 'workflow_reference', code: 'SOURCE_AMBIGUOUS', message: 'and workflow_yaml are both set; send one of them' });
  }
  let source: StartSource | undefined;
  if (reference) {
    const refProblems = referenceProblems(reference, 'workflow_reference');
    problems.push(...refProblems);
    if (refProblems.length === 0) source = { reference: { namespace: reference.namespace, name: reference.name, version: reference.version } };
  } else {
    const compiled = compileYaml(decoded.workflowYaml, limits, problems);
    if (compiled) source = { plan: compiled, source: decoded.workflowYaml };
  }
  if (problems.length > 0 || !source) throw invalidArgument(problems);
  return {
    executionId: decoded.workflowExecutionId,
    ...source,
    input: decoded.input ?? {},
    ...(decoded.callbackToken.length > 0 ? { callbackToken: decoded.callbackToken } : {}),
    ...(decoded.callbackNamespace ? { callbackNamespace: decoded.callbackNamespace } : {}),
  };
}

/**
 * Compiles a request's document. Too large is RESOURCE_EXHAUSTED at once; an empty or invalid
 * document adds its problems (with line, column and task path) and returns undefined.
 */
export function compileYaml(yaml: string, limits: ExecuteInputLimits, problems: RequestProblem[], field = YAML_FILE): Plan | undefined {
  const yamlBytes = Buffer.byteLength(yaml, 'utf8');
  if (yamlBytes > limits.maxYamlBytes) {
    throw new RpcError(
      GrpcStatus.RESOURCE_EXHAUSTED,
      `${field} is ${yamlBytes} bytes; this runner accepts at most ${limits.maxYamlBytes} (--max-yaml-bytes)`,
    );
  }
  if (yaml.trim() === '') {
    problems.push({ field, code: 'YAML_MISSING', message: 'is empty; send the workflow document' });
    return undefined;
  }
  const compiled = limits.compile(yaml, { file: YAML_FILE });
  if (compiled.ok) return compiled.plan;
  for (const d of compiled.diagnostics) {
    if (d.severity !== undefined && d.severity !== 'error') continue;
    problems.push({
      field,
      code: d.code,
      message: d.message,
      ...(d.line > 0 ? { line: d.line, column: d.column } : {}),
      ...(d.pointer ? { pointer: d.pointer } : {}),
      ...(d.taskPath ? { taskPath: d.taskPath } : {}),
    });
  }
  return undefined;
}

/** What is wrong with a namespace/name/version reference; none when all three are set. */
export function referenceProblems(reference: Partial<WorkflowRef> | undefined, field: string): RequestProblem[] {
  if (!reference) return [{ field, code: 'REFERENCE_MISSING', message: 'is required: namespace, name and version of a deployed document' }];
  const problems: RequestProblem[] = [];
  for (const part of ['namespace', 'name', 'version'] as const) {
    const value = reference[part] ?? '';
    if (value === '') problems.push({ field: `${field}.${part}`, code: 'REFERENCE_INCOMPLETE', message: 'is required' });
    else if (value.length > 255 || !REFERENCE_PART.test(value)) {
      problems.push({ field: `${field}.${part}`, code: 'REFERENCE_INVALID', message: `"${clip(value)}" is not a document ${part}` });
    }
  }
  return problems;
}

/** For the rpcs that only name an execution. */
export function checkExecutionId<T extends { executionId: string }>(request: Decoded<T>): T {
  const decoded = checkDecoded(request);
  const problem = executionIdProblem(decoded.executionId, 'execution_id');
  if (problem) throw invalidArgument([problem]);
  return decoded;
}

export function checkDecoded<T>(request: Decoded<T>): T {
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
