/**
 * Request problems as gRPC statuses. Every error carries a human sentence; INVALID_ARGUMENT also
 * carries its problems as structured data, twice over:
 *  - `grpc-status-details-bin`: a google.rpc.Status holding a google.rpc.BadRequest (one field
 *    violation per problem: field = where, description = the sentence, reason = the code), which
 *    grpcurl and the standard error-details libraries decode;
 *  - `baton-diagnostics`: the first problems as a JSON array with line, column, pointer and task path.
 * A refusal worth retrying (the service is busy, Temporal rate-limits) carries a google.rpc.RetryInfo
 * in the status details and the same delay, in milliseconds, in the `baton-retry-after-ms` trailer.
 *
 * Everything here is bounded and encodable, because one answer must never break the HTTP/2
 * connection other calls share: a metadata value that is not printable ASCII makes grpc-js throw,
 * and trailers over the peer's header-list limit reset the connection. So the diagnostics JSON is
 * escaped to printable ASCII, strings are clipped, the number of problems per trailer is capped,
 * and the trailers together stay under 8 KiB (the smallest limit common gRPC clients set).
 * A workflow's own failure is never an RPC error (it is the execution's phase and error).
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { NamespaceNotFoundError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { encodeStatusDetails } from './status-details.ts';
import type { FieldViolation } from './status-details.ts';

export const DIAGNOSTICS_TRAILER = 'baton-diagnostics';
export const RETRY_AFTER_TRAILER = 'baton-retry-after-ms';
const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/** Bounds on what one error answer puts on the wire (bytes after encoding). */
export const ANSWER_LIMITS = {
  /** The status message, percent-encoded as grpc-message. */
  messageBytes: 2048,
  /** The baton-diagnostics JSON (ASCII). */
  diagnosticsBytes: 2048,
  /** At most this many problems in baton-diagnostics; the status details hold more. */
  diagnosticsCount: 10,
  /** The google.rpc.Status before base64 (≈ 3.4 KiB after). */
  statusDetailsBytes: 2560,
  /** Any one string of a problem (message, pointer, field). */
  problemText: 300,
} as const;

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
    /** Set on refusals worth retrying: how long the caller should wait first. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function invalidArgument(problems: readonly RequestProblem[]): RpcError {
  const shown = problems.slice(0, ANSWER_LIMITS.diagnosticsCount).map((p) => clip(describeProblem(clipProblem(p, ANSWER_LIMITS.problemText)), ANSWER_LIMITS.problemText));
  const more = problems.length - shown.length;
  const lines = more > 0 ? [...shown, `… and ${more} more (all in grpc-status-details-bin, as far as it holds them)`] : shown;
  const summary = problems.length === 1 ? 'the request has a problem' : `the request has ${problems.length} problems`;
  return new RpcError(GrpcStatus.INVALID_ARGUMENT, `${summary}:\n${lines.join('\n')}`, problems);
}

export function describeProblem(problem: RequestProblem): string {
  const at = problem.line === undefined ? problem.field : `${problem.field}:${problem.line}:${problem.column ?? 1}`;
  const task = problem.taskPath ? ` (task ${problem.taskPath})` : '';
  return `${at}: [${problem.code}] ${problem.message}${task}`;
}

export type ServiceErrorAnswer = Partial<ServiceError> & { code: GrpcStatus; details: string };

/**
 * Turns anything thrown in a handler into the status the client receives. Total: if building the
 * answer itself fails, the answer is INTERNAL with a sentence (and `onBug` hears why).
 */
export function toServiceError(err: unknown, onBug?: (error: unknown) => void): ServiceErrorAnswer {
  try {
    const rpc = toRpcError(err);
    if (rpc.code === GrpcStatus.INTERNAL) onBug?.(err);
    return answerOf(rpc);
  } catch (failure) {
    onBug?.(failure);
    return { code: GrpcStatus.INTERNAL, details: 'internal error: the runner could not describe what went wrong', metadata: new Metadata() };
  }
}

function answerOf(rpc: RpcError): ServiceErrorAnswer {
  const metadata = new Metadata();
  const message = clipEncoded(rpc.message, ANSWER_LIMITS.messageBytes);
  if (rpc.problems.length > 0) metadata.set(DIAGNOSTICS_TRAILER, diagnosticsJson(rpc.problems));
  if (rpc.retryAfterMs !== undefined) metadata.set(RETRY_AFTER_TRAILER, String(Math.round(rpc.retryAfterMs)));
  if (rpc.problems.length > 0 || rpc.retryAfterMs !== undefined) {
    metadata.set(STATUS_DETAILS_TRAILER, Buffer.from(statusDetails(rpc, message)));
  }
  return { code: rpc.code, details: message, metadata };
}

/** As many problems as fit, as JSON escaped to printable ASCII (JSON.parse gives the text back). */
function diagnosticsJson(problems: readonly RequestProblem[]): string {
  // Escaping can grow a character to six, so shorter clips are tried before dropping problems.
  for (const textLimit of [ANSWER_LIMITS.problemText, 80]) {
    const clipped = problems.slice(0, ANSWER_LIMITS.diagnosticsCount).map((p) => clipProblem(p, textLimit));
    for (let count = clipped.length; count > 0; count--) {
      const json = asciiJson(clipped.slice(0, count));
      if (json.length <= ANSWER_LIMITS.diagnosticsBytes) return json;
    }
  }
  return '[]';
}

function statusDetails(rpc: RpcError, message: string): Uint8Array {
  const violations: FieldViolation[] = rpc.problems.slice(0, ANSWER_LIMITS.statusDetailsBytes / 8).map((p) => {
    const clippedProblem = clipProblem(p, ANSWER_LIMITS.problemText);
    return {
      field: clippedProblem.pointer ? `${clippedProblem.field}#${clippedProblem.pointer}` : clippedProblem.field,
      description: clip(describeProblem(clippedProblem), ANSWER_LIMITS.problemText),
      reason: clippedProblem.code,
    };
  });
  const encode = (count: number) =>
    encodeStatusDetails({
      code: rpc.code,
      message: clip(message, 200),
      violations: violations.slice(0, count),
      ...(rpc.retryAfterMs === undefined ? {} : { retryAfterMs: rpc.retryAfterMs }),
    });
  // Halve until it fits, then grow back one at a time: a few encodings even for thousands of problems.
  let count = violations.length;
  let encoded = encode(count);
  while (encoded.length > ANSWER_LIMITS.statusDetailsBytes && count > 0) {
    count = Math.floor(count / 2);
    encoded = encode(count);
  }
  for (let next = count + 1; next <= violations.length; next++) {
    const bigger = encode(next);
    if (bigger.length > ANSWER_LIMITS.statusDetailsBytes) break;
    encoded = bigger;
  }
  return encoded;
}

function clipProblem(problem: RequestProblem, limit: number): RequestProblem {
  return {
    ...problem,
    field: clip(problem.field, 100),
    code: clip(problem.code, 100),
    message: clip(problem.message, limit),
    ...(problem.pointer === undefined ? {} : { pointer: clip(problem.pointer, limit) }),
    ...(problem.taskPath === undefined ? {} : { taskPath: clip(problem.taskPath, limit) }),
  };
}

/** JSON with every character outside printable ASCII as a \u escape: valid metadata, same value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most `max` UTF-16 units, never splitting a surrogate pair, marked when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Clipped so that its percent-encoded form (as grpc-message travels) fits in `maxBytes`. */
function clipEncoded(raw: string, maxBytes: number): string {
  // A message may quote a document cut inside a surrogate pair; percent-encoding throws on a lone half.
  const text = raw.replace(LONE_SURROGATE, '\uFFFD');
  // Encoding never shortens: clip to the byte budget in characters first, then shrink to fit.
  let max = Math.min(text.length, maxBytes);
  if (max === text.length && encodeURIComponent(text).length <= maxBytes) return text;
  let clipped = clip(text, max);
  while (encodeURIComponent(clipped).length > maxBytes && max > 1) {
    max = Math.floor(max * 0.75);
    clipped = clip(text, max);
  }
  return clipped;
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof WorkflowNotFoundError) return new RpcError(GrpcStatus.NOT_FOUND, `no execution with id "${clip(err.workflowId, 300)}"`);
  if (err instanceof NamespaceNotFoundError) {
    return new RpcError(GrpcStatus.FAILED_PRECONDITION, `the Temporal namespace "${err.namespace}" does not exist`);
  }
  // The Update call itself was cut short, not the Update: nothing changed, and asking again is safe.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new RpcError(GrpcStatus.UNAVAILABLE, `the execution did not answer the change in time; try again shortly (${messageOf(err)})`);
  }
  return temporalError(err);
}

/** How long a refusal for load asks callers to wait when nothing better is known. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Temporal's and the transport's errors: what the caller can do about them decides the code.
 * Size limits are the request's fault (INVALID_ARGUMENT, final); rate limits and a busy server are
 * RESOURCE_EXHAUSTED with a retry hint; anything about the connection is UNAVAILABLE (retryable).
 * INTERNAL is left for what none of these explain: a bug of ours.
 */
function temporalError(err: unknown): RpcError {
  const text = messageOf(err);
  const grpc = grpcCodeOf(err);
  if (SIZE_LIMIT.test(text)) {
    return invalidArgument([{ field: 'input', code: 'PAYLOAD_TOO_LARGE', message: `is larger than Temporal accepts (${clip(text, 300)})` }]);
  }
  if (grpc === GrpcStatus.RESOURCE_EXHAUSTED) {
    return new RpcError(GrpcStatus.RESOURCE_EXHAUSTED, `Temporal is busy and refused the request; try again shortly (${text})`, [], DEFAULT_RETRY_AFTER_MS);
  }
  if (grpc === GrpcStatus.UNAVAILABLE || grpc === GrpcStatus.DEADLINE_EXCEEDED || grpc === GrpcStatus.ABORTED) return unreachable(text);
  if (grpc === GrpcStatus.INVALID_ARGUMENT) return new RpcError(GrpcStatus.INVALID_ARGUMENT, `Temporal refused the request: ${text}`);
  // An Update whose workflow task failed or timed out (Temporal's WorkflowNotReady): a busy or
  // restarting worker, not the request's fault. The execution took no change; asking again can succeed.
  if (grpc === GrpcStatus.FAILED_PRECONDITION && WORKFLOW_TASK_FAILED.test(text)) {
    return new RpcError(
      GrpcStatus.UNAVAILABLE,
      `the execution could not take the change now: its workflow task failed or timed out (a busy or restarting worker); try again shortly (${text})`,
    );
  }
  if (grpc === GrpcStatus.PERMISSION_DENIED || grpc === GrpcStatus.UNAUTHENTICATED) {
    return new RpcError(GrpcStatus.FAILED_PRECONDITION, `Temporal refused the runner's credentials: ${text}`);
  }
  // The native client reports transport failures as INTERNAL, UNKNOWN or a plain Error.
  if (TRANSIENT.test(text)) return unreachable(text);
  return new RpcError(GrpcStatus.INTERNAL, `internal error: ${text}`);
}

function unreachable(text: string): RpcError {
  return new RpcError(GrpcStatus.UNAVAILABLE, `Temporal is unreachable; try again shortly (${text})`);
}

/** Temporal's words when an Update's workflow task failed (the worker's completion was refused, or came after the task timed out). */
const WORKFLOW_TASK_FAILED = /workflow task failure|workflow task (failed|timed out)|workflow not ready/i;

/** Temporal's words for a payload, history or message over its limits. */
const SIZE_LIMIT = /size exceeds limit|exceeds? (the )?(size )?limit|too large|message larger than max|payloads? too large/i;

/**
 * The native client reports a dead, overloaded or reset connection as a plain Error ("transport
 * error", "Connection refused", "h2 protocol error", or "Timeout expired" when the call's
 * deadline passed).
 */
const TRANSIENT =
  /transport error|connection refused|connection reset|failed to connect|tcp connect error|unavailable|deadline|timeout expired|h2 protocol error|protocol error|broken pipe|goaway|stream (was )?(closed|reset)|econnreset|epipe|operation was canceled/i;

/** The gRPC code anywhere in the cause chain (the native client's errors carry a numeric `code`). */
export function grpcCodeOf(err: unknown, depth = 0): number | undefined {
  if (!(err instanceof Error) || depth > 8) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return code;
  return err.cause === undefined ? undefined : grpcCodeOf(err.cause, depth + 1);
}

/** The message with its causes, so "Failed to start Workflow" says why. */
function messageOf(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return String(err);
  if (err.cause === undefined || depth > 8) return err.message;
  return `${err.message}: ${messageOf(err.cause, depth + 1)}`;
}
