/**
 * `execute` follows the execution's history to its close and takes the final status the workflow
 * recorded with it, so its answer needs no read after the end. Against the real dev server: the
 * followed status is the workflow's own account (what getExecution reads from the memo), and a
 * close the workflow did not record (terminated) yields nothing, so `execute` reads as before.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { followToRecordedEnd } from '../../src/service/recorded-end.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { BOOM_TYPE, RAISE, slow } from './support/workflows.ts';

let stack: Stack;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: testTemporal().address });
  client = new Client({ connection, namespace: testTemporal().namespace });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

test('a completed execution is followed from its start to the status it recorded at its close', async () => {
  const id = uniqueName('followed');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(300), input: { name: 'Io' } });
  // Followed while it still runs: the answer comes with the close, not from a read afterwards.
  const end = await followToRecordedEnd(client, id);
  expect(end?.status.phase).toBe('COMPLETED');
  expect(end?.status.output).toEqual({ done: true, name: 'Io' });
  expect(end?.status.tasks.map((task) => task.name)).toEqual(['rest', 'answer']);
  const description = await client.workflow.getHandle(id).describe();
  expect(end?.startTime).toEqual(description.startTime);
  expect(end?.closeTime).toEqual(description.closeTime!);
});

test('a failed execution is followed to its recorded error', async () => {
  const id = uniqueName('followed-boom');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: RAISE });
  const end = await followToRecordedEnd(client, id);
  expect(end?.status.phase).toBe('FAILED');
  expect(end?.status.error?.type).toBe(BOOM_TYPE);
});

test('a terminated execution recorded nothing: the follower says so and execute reads Temporal instead', async () => {
  const id = uniqueName('followed-terminated');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(60_000) });
  const following = followToRecordedEnd(client, id);
  await stack.client.cancelExecution({ executionId: id, reason: 'stop', force: true });
  expect(await following).toBeUndefined();
  // The same through the rpc: execute on the ended execution answers TERMINATED's view, as getExecution does.
  const answer = await stack.client.execute({ workflowExecutionId: id, workflowYaml: slow(60_000) });
  expect(answer).toEqual(await stack.client.getExecution(id));
});
