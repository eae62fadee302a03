/**
 * Payload limits as errors. Every value that enters workflow history (a task's output, the state
 * carried over continue-as-new, an activity's input and result, a child's input, the workflow's
 * result, which is also what the callback delivers) is measured against a limit below Temporal's
 * own (2 MB per payload by default, where the server fails the workflow task on every attempt and
 * the execution hangs). Over it, the interpreter raises a coded SW error a `try` can catch, and the
 * execution ends with an answer.
 *
 * Pure code (no Temporal import): shared by the workflow (payload-limit.ts), the worker's activity
 * interceptor and the runner's configuration.
 */
import { workflowError } from '../contract/index.ts';
import type { WorkflowErrorException } from '../contract/index.ts';

/** 1 MiB: half of Temporal's default blob limit, leaving room for the rest of an event. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** HTTP 413, "Content Too Large": the SW error's status. */
export const PAYLOAD_TOO_LARGE_STATUS = 413;
export const PAYLOAD_TOO_LARGE_TITLE = 'Payload too large';

/**
 * The UTF-8 size of a value as JSON (Temporal's JSON payload encoding), or 0 for undefined.
 * JSON.stringify once; the exact byte count is only computed when the character count leaves
 * the answer open (non-ASCII text can take up to three bytes per UTF-16 unit).
 */
export function payloadBytes(value: unknown, limit: number): number {
  const text = JSON.stringify(value);
  if (text === undefined) return 0;
  if (text.length > limit || text.length * 3 <= limit) return text.length;
  return utf8Length(text);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The error for `what` (e.g. "the output of task /do/0/big") being `bytes` long. */
export function payloadTooLarge(what: string, bytes: number, limit: number, instance: string): WorkflowErrorException {
  return workflowError('runtime', {
    status: PAYLOAD_TOO_LARGE_STATUS,
    title: PAYLOAD_TOO_LARGE_TITLE,
    detail: `${what} is ${bytes} bytes as JSON, over the ${limit}-byte payload limit (--max-payload-bytes)`,
    instance,
  });
}

