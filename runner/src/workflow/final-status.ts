/**
 * Records the final status in the workflow's memo once the callback is settled: a closed
 * execution is then read with a describe instead of a status query, which would make a worker
 * replay the whole history (most of what `execute` cost over `executeAsync` + awaiting the result).
 */
import { patched, upsertMemo } from '@temporalio/workflow';
import { FINAL_STATUS_MEMO_KEY } from '../contract/index.ts';
import type { ExecutionStatus } from '../contract/index.ts';
import { payloadBytes } from './payload-size.ts';

export const FINAL_STATUS_MEMO_PATCH = 'baton-final-status-memo';

/**
 * Well under Temporal's memo limits (a warning at 128 KiB, a failed workflow task at 2 MiB by
 * default): a bigger status (a large output) is left to the query rather than copied into history,
 * in the memo or in the answer to an awaitEndUpdate (awaited-end.ts).
 */
export const MAX_FINAL_STATUS_BYTES = 64 * 1024;

export function recordFinalStatus(status: ExecutionStatus): void {
  if (!patched(FINAL_STATUS_MEMO_PATCH)) return;
  if (payloadBytes(status, MAX_FINAL_STATUS_BYTES) > MAX_FINAL_STATUS_BYTES) return;
  upsertMemo({ [FINAL_STATUS_MEMO_KEY]: status });
}
