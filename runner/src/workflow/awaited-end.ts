/**
 * The execution's answer to `execute`'s awaitEndUpdate (sent with the start): the handler waits
 * for the run to end and answers with the final status; the run waits for those answers before it
 * closes or continues as new, since an update still running when its run closes is lost to its
 * caller.
 *
 * Both waits are non-cancellable: a cancelled execution still answers with its (cancelled) status.
 * The state below is module-level on purpose: per execution (listed in temporal/shared-workflow-modules.ts).
 */
import { CancellationScope, condition, setHandler } from '@temporalio/workflow';
import { awaitEndUpdate } from '../contract/index.ts';
import type { ExecutionStatus, RunEnding } from '../contract/index.ts';
import { MAX_FINAL_STATUS_BYTES } from './final-status.ts';
import { payloadBytes } from './payload-size.ts';

let ending: RunEnding | undefined;
let waiting = 0;

export function answerAwaitedEnd(): void {
  setHandler(awaitEndUpdate, async () => {
    waiting++;
    try {
      await CancellationScope.nonCancellable(() => condition(() => ending !== undefined));
      // Set by endRun, and never unset.
      return ending as RunEnding;
    } finally {
      waiting--;
    }
  });
}

/**
 * Answers every waiting awaitEndUpdate and returns once they all have their answer. Without one
 * waiting it returns at once and schedules nothing, so histories recorded before the update
 * existed replay unchanged.
 */
export async function endRun(how: RunEnding): Promise<void> {
  ending = how;
  if (waiting > 0) await CancellationScope.nonCancellable(() => condition(() => waiting === 0));
}

/** The final status as an answer, unless it is too large to travel in one (the caller then reads it). */
export function endedWith(status: ExecutionStatus): RunEnding {
  return payloadBytes(status, MAX_FINAL_STATUS_BYTES) > MAX_FINAL_STATUS_BYTES ? { kind: 'too-large' } : { kind: 'ended', status };
}
