/**
 * Watching an execution: polls its status query (no history events, however many watchers) and
 * yields each changed view, ending once the execution has ended and its callback is settled (or
 * the workflow has closed). The `watchExecution` rpc and the execution page's event stream are
 * both fed by `watchViews`, so they show the same changes.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Execution } from '@baton/proto';
import { executionMessage } from './execution-message.ts';
import { isTerminal } from './executions.ts';
import type { ExecutionView, Executions } from './executions.ts';

/**
 * Every change of the execution's view, as `fingerprint` tells them apart (two views with the same
 * fingerprint are one change). Stops early once `stopped()` says nobody is watching any more.
 */
export async function* watchViews(
  executions: Executions,
  executionId: string,
  intervalMs: number,
  fingerprint: (view: ExecutionView) => string,
  stopped: () => boolean,
): AsyncGenerator<ExecutionView> {
  let view = await executions.read(executionId);
  let last = '';
  for (;;) {
    const current = fingerprint(view);
    if (current !== last) {
      last = current;
      yield view;
    }
    if (watchFinished(view) || stopped()) return;
    await Bun.sleep(intervalMs);
    if (stopped()) return;
    view = await executions.peek(executionId);
  }
}

/** Nothing more will change: the execution ended and its caller has its answer (or the workflow closed). */
export function watchFinished(view: ExecutionView): boolean {
  return view.closed || (isTerminal(view.phase) && view.callback.state !== 'PENDING');
}

export async function watchExecution(
  call: ServerWritableStream<unknown, Execution>,
  executions: Executions,
  executionId: string,
  intervalMs: number,
): Promise<void> {
  const fingerprint = (view: ExecutionView) => JSON.stringify(executionMessage(view));
  for await (const view of watchViews(executions, executionId, intervalMs, fingerprint, () => call.cancelled)) {
    await write(call, executionMessage(view));
  }
}

/** Respects back-pressure: waits for the stream to drain before the next message. */
function write(call: ServerWritableStream<unknown, Execution>, message: Execution): Promise<void> {
  return new Promise((resolve) => {
    if (call.write(message)) return resolve();
    call.once('drain', () => resolve());
    call.once('cancelled', () => resolve());
  });
}
