/**
 * A caller in another Temporal namespace names it in callback_namespace; the runner completes
 * the caller's activity there. Also: the runner's heartbeats keep a caller with a short
 * heartbeat timeout alive through a long execution.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { CallbackDelivery } from '@baton/proto';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerSide } from './support/caller.ts';
import { eventually, startCaller, startStack, uniqueName } from './support/stack.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import type { Stack } from './support/stack.ts';
import { HELLO, slow } from './support/workflows.ts';

setDefaultTimeout(60_000);

const CALLER_NAMESPACE = uniqueName('callers');
let stack: Stack;
let foreignCaller: CallerSide;
let localCaller: CallerSide;

/** Registers the namespace and waits until the server serves it (its namespace cache refreshes). */
async function registerNamespace(namespace: string): Promise<void> {
  const connection = await Connection.connect({ address: testTemporal().address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await eventually(
      () => connection.workflowService.describeNamespace({ namespace }).then(() => true, () => false),
      (ok) => ok,
    );
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  await registerNamespace(CALLER_NAMESPACE);
  stack = await startStack();
  [foreignCaller, localCaller] = await Promise.all([startCaller(stack, CALLER_NAMESPACE), startCaller(stack)]);
});
afterAll(async () => {
  await Promise.all([foreignCaller?.stop(), localCaller?.stop()]);
  await stack?.stop();
});

test('a caller in another namespace is completed there', async () => {
  const id = uniqueName('foreign');
  const result = await foreignCaller.client.workflow.execute(callerWorkflow, {
    taskQueue: foreignCaller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ executionId: id, yaml: HELLO, input: { name: 'Gus' }, callbackNamespace: CALLER_NAMESPACE, startToCloseMs: 30_000, maximumAttempts: 1 }],
  });
  expect(result).toEqual({ greeting: 'Hello, Gus!' });
  expect((await stack.client.getExecution(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
});

test("a runner configured with --callback-namespace completes callers there when requests name none", async () => {
  const configured = await startStack({ callbackNamespace: CALLER_NAMESPACE }, 'all');
  const callers = await startCaller(configured, CALLER_NAMESPACE);
  try {
    const id = uniqueName('default-ns');
    const result = await callers.client.workflow.execute(callerWorkflow, {
      taskQueue: callers.taskQueue,
      workflowId: uniqueName('caller-wf'),
      args: [{ executionId: id, yaml: HELLO, input: { name: 'Ivy' }, startToCloseMs: 30_000, maximumAttempts: 1 }],
    });
    expect(result).toEqual({ greeting: 'Hello, Ivy!' });
  } finally {
    await callers.stop();
    await configured.stop();
  }
});

test('the runner heartbeats the parked activity: a 3 s heartbeat timeout survives a 7 s execution', async () => {
  const id = uniqueName('heartbeat');
  const result = await localCaller.client.workflow.execute(callerWorkflow, {
    taskQueue: localCaller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ executionId: id, yaml: slow(7_000), startToCloseMs: 60_000, heartbeatTimeoutMs: 3_000, maximumAttempts: 1 }],
  });
  expect(result).toEqual({ done: true, name: 'nobody' });
});
