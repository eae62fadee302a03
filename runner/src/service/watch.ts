/**
 * watchExecution: polls the execution's status query (no history events, however many watchers)
 * and streams one message per change, ending once the execution has ended and its callback is
 * settled (or the workflow has closed).
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Execution } from '@baton/proto';
import { executionMessage } from './execution-message.ts';
import { isTerminal } from './executions.ts';
import type { ExecutionView, Executions } from './executions.ts';

export async function watchExecution(
  call: ServerWritableStream<unknown, Execution>,
  executions: Executions,
  executionId: string,
  intervalMs: number,
): Promise<void> {
  let view = await executions.read(executionId);
  let last = '';
  for (;;) {
    const message = executionMessage(view);
    const fingerprint = JSON.stringify(message);
    if (fingerprint !== last) {
      last = fingerprint;
      await write(call, message);
    }
    if (finished(view) || call.cancelled) return;
    await Bun.sleep(intervalMs);
    if (call.cancelled) return;
    view = await executions.peek(executionId);
  }
}

function finished(view: ExecutionView): boolean {
  return view.closed || (isTerminal(view.phase) && view.callback.state !== 'PENDING');
}

/** Respects back-pressure: waits for the stream to drain before the next message. */
function write(call: ServerWritableStream<unknown, Execution>, message: Execution): Promise<void> {
  return new Promise((resolve) => {
    if (call.write(message)) return resolve();
    call.once('drain', () => resolve());
    call.once('cancelled', () => resolve());
  });
}
