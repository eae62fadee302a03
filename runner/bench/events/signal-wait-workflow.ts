/** The hand-written baseline of bench:events: a Temporal workflow that waits for `count` signals and returns their values. */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const eventSignal = defineSignal<[unknown]>('event');

export async function handwrittenSignalWait(count = 1): Promise<unknown[]> {
  const received: unknown[] = [];
  setHandler(eventSignal, (value) => {
    received.push(value);
  });
  await condition(() => received.length >= count);
  return received;
}
