/**
 * `execute` sends awaitEndUpdate with the start (update-with-start) and answers from the final
 * status the update returns. Each case checks that the answer is exactly what a read of the
 * closed execution says, and which way it came (the update's answer recorded in history), for the
 * fast path and for each way back to the read: a repeated id, a run continued as new, a status
 * too large to answer with, a forced cancel that loses the update.
 * With BATON_RECORD_HISTORIES=1 the fresh and the continued execution's first runs are written to
 * specs/histories/, where replay.test.ts replays them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { ExecutionPhase } from '@baton/proto';
import type { Execution } from '@baton/proto';
import { compileWorkflow } from '@baton/dsl';
import { testTemporal } from '../../../test/temporal-env.ts';
import { awaitEndUpdate } from '../../src/contract/index.ts';
import type { RunEnding } from '../../src/contract/index.ts';
import { Executions } from '../../src/service/executions.ts';
import { createTokenSealer, generateTokenKey } from '../../src/token/seal.ts';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { BOOM_TYPE, HELLO, RAISE, slow } from './support/workflows.ts';
import { recordHistory } from '../support/record-history.ts';

let stack: Stack;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: testTemporal().address });
  temporal = new Client({ connection, namespace: testTemporal().namespace });
});

afterAll(async () => {
  await stack?.stop();
  await connection?.close();
});

function firstRunId(executionId: string): Promise<string | undefined> {
  return temporal.workflow
    .getHandle(executionId)
    .describe()
    .then((description) => description.raw.workflowExecutionInfo?.firstRunId ?? undefined);
}

/** The first run: for an execution that continued as new, that is where it answered the update. */
async function record(executionId: string, name: string): Promise<void> {
  await recordHistory(temporal.workflow.getHandle(executionId, await firstRunId(executionId)), name);
}

/** The answers to awaitEndUpdate each run of an execution recorded, oldest run first. */
async function awaitEndAnswers(executionId: string): Promise<RunEnding['kind'][]> {
  const answers: RunEnding['kind'][] = [];
  let runId = await firstRunId(executionId);
  while (runId) {
    const history = await temporal.workflow.getHandle(executionId, runId).fetchHistory();
    const awaitingEnd = new Set<string>();
    let next: string | undefined;
    for (const event of history.events ?? []) {
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      if (accepted?.input?.name === awaitEndUpdate.name && accepted.meta?.updateId) awaitingEnd.add(accepted.meta.updateId);
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      const payload = completed?.outcome?.success?.payloads?.[0];
      if (payload && awaitingEnd.has(completed?.meta?.updateId ?? '')) answers.push(defaultPayloadConverter.fromPayload<RunEnding>(payload).kind);
      next = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
    }
    runId = next;
  }
  return answers;
}

/** Calls execute on a long execution, cancels it (with force or not) once it runs, and returns execute's answer. */
async function cancelledWhileExecuteWaits(id: string, force: boolean): Promise<Execution> {
  const waiting = stack.client.execute({ workflowExecutionId: id, workflowYaml: slow(30_000) });
  await eventually(() => stack.client.getExecution(id).catch(() => undefined), (view) => view?.phase === ExecutionPhase.EXECUTION_IN_PROGRESS);
  await stack.client.cancelExecution({ executionId: id, reason: 'no longer needed', force });
  return waiting;
}

function countedTo(n: number): string {
  return `
document:
  dsl: '1.0.0'
  namespace: test
  name: counted
  version: '1.0.0'
  metadata:
    baton:
      continueAsNewAfterEvents: 10
do:
  - loop:
      for:
        each: n
        in: \${ [range(0; ${n})] }
      do:
        - rest:
            wait:
              milliseconds: 1
  - answer:
      set:
        counted: ${n}
`;
}

const LARGE = `
document: { dsl: '1.0.0', namespace: test, name: large, version: '1.0.0' }
do:
  - fill:
      set:
        text: \${ "0123456789" * 8000 }
`;

describe('execute', () => {
  test('a fresh execution answers from the update sent with its start, exactly as a read does', async () => {
    const id = uniqueName('execute-fresh');
    const execution = await stack.client.execute({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Ada' } });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ greeting: 'Hello, Ada!' });
    expect(execution.tasks.map((task) => task.name)).toEqual(['greet']);
    expect(await awaitEndAnswers(id)).toEqual(['ended']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
    await record(id, 'execute-await-end');
  });

  test('a failed execution answers with its error, exactly as a read does', async () => {
    const id = uniqueName('execute-failed');
    const execution = await stack.client.execute({ workflowExecutionId: id, workflowYaml: RAISE });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
    expect(execution.error?.type).toBe(BOOM_TYPE);
    expect(await awaitEndAnswers(id)).toEqual(['ended']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
  });

  test('an execution cancelled while execute waits answers cancelled', async () => {
    const id = uniqueName('execute-cancelled');
    const execution = await cancelledWhileExecuteWaits(id, false);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
    expect(await awaitEndAnswers(id)).toEqual(['ended']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
  });

  test('a forced cancel loses the update: execute reads the terminated execution instead', async () => {
    const id = uniqueName('execute-forced');
    const execution = await cancelledWhileExecuteWaits(id, true);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_TERMINATED);
    expect(await awaitEndAnswers(id)).toEqual([]);
    expect(await stack.client.getExecution(id)).toEqual(execution);
  });

  test('an execution that continues as new is followed to its last run', async () => {
    const id = uniqueName('execute-continued');
    const execution = await stack.client.execute({ workflowExecutionId: id, workflowYaml: countedTo(3) });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ counted: 3 });
    // The first run told the update it went on in a new run; nobody waited on the later runs.
    expect(await awaitEndAnswers(id)).toEqual(['continued']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
    await record(id, 'execute-await-end-continued');
  });

  test('a final status too large to answer with is read instead', async () => {
    const id = uniqueName('execute-large');
    const execution = await stack.client.execute({ workflowExecutionId: id, workflowYaml: LARGE });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect((execution.output as { text: string }).text).toHaveLength(80_000);
    expect(await awaitEndAnswers(id)).toEqual(['too-large']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
  });

  test('execute on a running execution waits for its end; on a finished one it answers at once', async () => {
    const id = uniqueName('execute-repeat');
    await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_500), input: { name: 'Bo' } });
    const joined = await stack.client.execute({ workflowExecutionId: id, workflowYaml: slow(1_500), input: { name: 'Bo' } });
    expect(joined.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(joined.output).toEqual({ done: true, name: 'Bo' });
    const again = await stack.client.execute({ workflowExecutionId: id, workflowYaml: slow(1_500), input: { name: 'Bo' } });
    expect(again).toEqual(joined);
    // Neither repeat attached an update to the execution it found.
    expect(await awaitEndAnswers(id)).toEqual([]);
  });

  test('with no worker to accept the update, the start is still answered once the bound passes, and the end read', async () => {
    const executions = new Executions({
      client: temporal,
      // Nobody polls this queue: the update sent with the start is never accepted.
      taskQueue: uniqueName('no-worker'),
      sealer: createTokenSealer(generateTokenKey()),
      callbackNamespace: '',
      heartbeatIntervalMs: 1_000,
      temporalTimeoutMs: 1_500,
    });
    const compiled = compileWorkflow(HELLO);
    if (!compiled.ok) throw new Error('HELLO does not compile');
    const id = uniqueName('execute-unaccepted');
    const { answer, end } = await executions.startAwaitingEnd({ executionId: id, plan: compiled.plan, input: {} }, new AbortController().signal);
    expect(answer).toEqual({ kind: 'started' });
    expect((await temporal.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
    await executions.cancel(id, 'nobody runs it', true);
    expect((await end).phase).toBe('TERMINATED');
  });
});
