/**
 * Temporal messages a test sends to a running execution, as a Temporal client of any language
 * would (Zigflow's `listen` with `with.type: signal | update`). Signals are kept by the execution
 * until a listen reads them; an update needs its listen to be waiting, so it is sent again while
 * the execution has no handler for it yet.
 */
import { expect } from 'bun:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';

export type CaseMessage =
  | { readonly signal: string; readonly payload?: unknown }
  | { readonly update: string; readonly payload?: unknown; readonly reply?: unknown };

export async function sendMessages(handle: WorkflowHandle, messages: readonly CaseMessage[]): Promise<void> {
  for (const message of messages) {
    if ('signal' in message) await handle.signal(message.signal, message.payload);
    else expect(await updateWhenListening(handle, message.update, message.payload)).toEqual(message.reply ?? null);
  }
}

/** Sends the update until a listen is waiting for it (Temporal refuses it with "No registered handler" before). */
export async function updateWhenListening(handle: WorkflowHandle, name: string, payload: unknown, deadlineMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await handle.executeUpdate(name, { args: [payload] });
    } catch (error) {
      const unhandled = error instanceof WorkflowUpdateFailedError && /No registered handler/.test(String(error.cause?.message));
      if (!unhandled || Date.now() > deadline) throw error;
      await Bun.sleep(50);
    }
  }
}

/** Asks the query until the execution answers it (a listen must have registered it first). */
export async function queryWhenAnswered(handle: WorkflowHandle, name: string, until: (answer: unknown) => boolean = () => true, deadlineMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      last = await handle.query(name);
      if (until(last)) return last;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`query ${name} never answered as expected; last answer: ${JSON.stringify(last)}`);
    await Bun.sleep(50);
  }
}
