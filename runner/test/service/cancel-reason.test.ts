/**
 * Executions started by an older runner get cancelExecution's reason as a signal, then Temporal's
 * cancel request (today's batonCancel update stops the execution at once, so nothing comes between). A loop without
 * I/O may continue as new between the two: the request then reaches the next run, and the reason
 * must come with it so the caller still learns why.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { ActivityFailure, ApplicationFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ExecutionPhase } from '@baton/proto';
import { CANCEL_REASON_SIGNAL, CANCELLED_FAILURE_TYPE } from '../../src/contract/index.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerSide } from './support/caller.ts';
import { eventually, startCaller, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';

setDefaultTimeout(60_000);

let stack: Stack;
let caller: CallerSide;
let temporal: Client;
let connection: Connection;

beforeAll(async () => {
  stack = await startStack();
  caller = await startCaller(stack);
  connection = await Connection.connect({ address: testTemporal().address });
  temporal = new Client({ connection, namespace: testTemporal().namespace });
});
afterAll(async () => {
  await connection?.close();
  await caller?.stop();
  await stack?.stop();
});

const ENDLESS = `
document: { dsl: '1.0.0', namespace: test, name: endless, version: '1.0.0' }
do:
  - spin:
      set: { spinning: true }
      then: spin
`;

test('a cancel reason received before a continue-as-new reaches the caller with the cancellation', async () => {
  const id = uniqueName('reason-can');
  const handle = await caller.client.workflow.start(callerWorkflow, {
    taskQueue: caller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ executionId: id, yaml: ENDLESS, startToCloseMs: 60_000, maximumAttempts: 1 }],
  });
  const running = await eventually(
    () => stack.client.getExecution(id).catch(() => undefined),
    (execution) => execution?.phase === ExecutionPhase.EXECUTION_IN_PROGRESS,
  );
  expect(running?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

  // The first half of cancelExecution, then a continue-as-new, then the second half.
  const execution = temporal.workflow.getHandle(id);
  await execution.signal(CANCEL_REASON_SIGNAL, 'the budget ran out');
  const signalledRun = (await execution.describe()).runId;
  const nextRun = await eventually(
    async () => (await execution.describe()).runId,
    (runId) => runId !== signalledRun,
  );
  expect(nextRun).not.toBe(signalledRun);
  await stack.client.cancelExecution({ executionId: id });

  const failed = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failed).toBeInstanceOf(WorkflowFailedError);
  const cause = (failed as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ActivityFailure);
  const app = cause?.cause as ApplicationFailure;
  expect(app.type).toBe(CANCELLED_FAILURE_TYPE);
  expect(app.details?.[0]).toMatchObject({ workflow_execution_id: id, reason: 'the budget ran out' });
});
