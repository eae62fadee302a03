/**
 * Request problems as gRPC statuses. Every error carries a human sentence; INVALID_ARGUMENT also
 * carries every problem as structured data, twice over:
 *  - `grpc-status-details-bin`: a google.rpc.Status holding a google.rpc.BadRequest (one field
 *    violation per problem: field = where, description = the sentence, reason = the code), which
 *    grpcurl and the standard error-details libraries decode;
 *  - `baton-diagnostics`: the same problems as a JSON array with line, column, pointer and task path.
 * A workflow's own failure is never an RPC error (it is the execution's phase and error).
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { isGrpcServiceError, NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/client';

export const DIAGNOSTICS_TRAILER = 'baton-diagnostics';
const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';
const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';

/** One thing wrong with a request. */
export interface RequestProblem {
  /** The request field, e.g. `workflow_yaml`. */
  readonly field: string;
  /** A stable code callers can branch on, e.g. `ID_INVALID` or a DSL diagnostic code. */
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer into the workflow document. */
  readonly pointer?: string;
  readonly taskPath?: string;
}

export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: GrpcStatus,
    message: string,
    readonly problems: readonly RequestProblem[] = [],
  ) {
    super(message);
  }
}

export function invalidArgument(problems: readonly RequestProblem[]): RpcError {
  const lines = problems.map(describeProblem);
  const summary = problems.length === 1 ? 'the request has a problem' : `the request has ${problems.length} problems`;
  return new RpcError(GrpcStatus.INVALID_ARGUMENT, `${summary}:\n${lines.join('\n')}`, problems);
}

export function describeProblem(problem: RequestProblem): string {
  const at = problem.line === undefined ? problem.field : `${problem.field}:${problem.line}:${problem.column ?? 1}`;
  const task = problem.taskPath ? ` (task ${problem.taskPath})` : '';
  return `${at}: [${problem.code}] ${problem.message}${task}`;
}

/** Turns anything thrown in a handler into the status the client receives. */
export function toServiceError(err: unknown): Partial<ServiceError> & { code: GrpcStatus; details: string } {
  const rpc = toRpcError(err);
  const metadata = new Metadata();
  if (rpc.problems.length > 0) {
    metadata.set(DIAGNOSTICS_TRAILER, JSON.stringify(rpc.problems));
    metadata.set(STATUS_DETAILS_TRAILER, Buffer.from(encodeStatus(rpc.code, rpc.message, rpc.problems)));
  }
  return { code: rpc.code, details: rpc.message, metadata };
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof WorkflowNotFoundError) return new RpcError(GrpcStatus.NOT_FOUND, `no execution with id "${err.workflowId}"`);
  if (err instanceof NamespaceNotFoundError) {
    return new RpcError(GrpcStatus.FAILED_PRECONDITION, `the Temporal namespace "${err.namespace}" does not exist`);
  }
  const grpc = grpcCodeOf(err);
  if (grpc === GrpcStatus.UNAVAILABLE || grpc === GrpcStatus.DEADLINE_EXCEEDED || isConnectionFailure(err)) {
    return new RpcError(GrpcStatus.UNAVAILABLE, `Temporal is unreachable; try again shortly (${messageOf(err)})`);
  }
  if (grpc === GrpcStatus.RESOURCE_EXHAUSTED) return new RpcError(GrpcStatus.RESOURCE_EXHAUSTED, `Temporal refused the request: ${messageOf(err)}`);
  return new RpcError(GrpcStatus.INTERNAL, `internal error: ${messageOf(err)}`);
}

/** The gRPC code anywhere in the cause chain (the native client's errors carry a numeric `code`). */
function grpcCodeOf(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    if (err.cause !== undefined) return grpcCodeOf(err.cause);
  }
  return undefined;
}

/**
 * The native client reports a dead or overloaded server as a plain Error ("transport error",
 * "Connection refused", or "Timeout expired" when the call's deadline passed).
 */
function isConnectionFailure(err: unknown): boolean {
  const text = messageOf(err);
  return /transport error|connection refused|failed to connect|tcp connect error|unavailable|deadline|timeout expired/i.test(text);
}

/** The message with its causes, so "Failed to start Workflow" says why. */
function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause === undefined ? err.message : `${err.message}: ${messageOf(err.cause)}`;
}

/** google.rpc.Status { code, message, details: [Any(google.rpc.BadRequest)] }, protobuf-encoded. */
function encodeStatus(code: number, message: string, problems: readonly RequestProblem[]): Uint8Array {
  const violations = problems.map((p) =>
    concat(stringField(1, p.pointer ? `${p.field}${p.pointer === '' ? '' : `#${p.pointer}`}` : p.field), stringField(2, describeProblem(p)), stringField(3, p.code)),
  );
  const badRequest = concat(...violations.map((v) => bytesField(1, v)));
  const any = concat(stringField(1, BAD_REQUEST_TYPE_URL), bytesField(2, badRequest));
  return concat(varintField(1, code), stringField(2, message), bytesField(3, any));
}

const utf8 = new TextEncoder();

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

function varintField(field: number, value: number): Uint8Array {
  return concat(varint(field << 3), varint(value));
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  return concat(varint((field << 3) | 2), varint(value.length), value);
}

function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, utf8.encode(value));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
