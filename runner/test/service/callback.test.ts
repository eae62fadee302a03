/**
 * The callback handshake end to end: a real caller workflow whose activity hands its task token
 * to the runner over gRPC and parks (CompleteAsyncError), a real runner, the harness's dev server.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { ActivityFailure, ApplicationFailure, CancelledFailure, defaultPayloadConverter, TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { CallbackDelivery, ExecutionPhase, WorkflowTaskStatus } from '@baton/proto';
import type { Execution } from '@baton/proto';
import { CANCELLED_FAILURE_TYPE, TERMINATED_FAILURE_TYPE } from '../../src/contract/index.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerArgs } from './support/caller-workflows.ts';
import type { CallerSide } from './support/caller.ts';
import { eventually, startCaller, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { BOOM_TYPE, HELLO, RAISE, slow } from './support/workflows.ts';

setDefaultTimeout(30_000);

let stack: Stack;
let caller: CallerSide;

beforeAll(async () => {
  stack = await startStack();
  caller = await startCaller(stack);
});
afterAll(async () => {
  await caller?.stop();
  await stack?.stop();
});

function startCallerWorkflow(args: Omit<CallerArgs, 'startToCloseMs' | 'maximumAttempts'> & Partial<CallerArgs>) {
  return caller.client.workflow.start(callerWorkflow, {
    taskQueue: caller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ startToCloseMs: 60_000, maximumAttempts: 1, ...args }],
  });
}

async function failureOf(promise: Promise<unknown>): Promise<WorkflowFailedError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  return error as WorkflowFailedError;
}

function settled(execution: Execution): boolean {
  const terminal = [ExecutionPhase.EXECUTION_COMPLETED, ExecutionPhase.EXECUTION_FAILED, ExecutionPhase.EXECUTION_CANCELLED];
  return terminal.includes(execution.phase) && execution.callback?.delivery !== CallbackDelivery.CALLBACK_PENDING;
}

/** The execution, or undefined while the caller's activity has not handed it over yet. */
async function lookUp(id: string): Promise<Execution | undefined> {
  try {
    return await stack.client.getExecution(id);
  } catch (err) {
    if ((err as ServiceError).code === GrpcStatus.NOT_FOUND) return undefined;
    throw err;
  }
}

async function untilSettled(id: string): Promise<Execution> {
  const execution = await eventually(() => lookUp(id), (e) => e !== undefined && settled(e));
  if (!execution) throw new Error(`execution ${id} never appeared`);
  return execution;
}

async function untilPhase(id: string, phase: ExecutionPhase): Promise<Execution> {
  const execution = await eventually(() => lookUp(id), (e) => e?.phase === phase);
  if (!execution) throw new Error(`execution ${id} never appeared`);
  return execution;
}

describe('with a callback token', () => {
  test('success: the caller activity completes with the workflow output', async () => {
    const id = uniqueName('ok');
    const handle = await startCallerWorkflow({ executionId: id, yaml: HELLO, input: { name: 'Bo' } });
    expect(await handle.result()).toEqual({ greeting: 'Hello, Bo!' });

    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ greeting: 'Hello, Bo!' });
    expect(execution.callback).toEqual({ delivery: CallbackDelivery.CALLBACK_COMPLETED, lastError: '' });
    // The token is a bearer secret: nothing of it is readable through getExecution.
    expect(JSON.stringify(execution)).not.toContain('sealed');
  });

  test('failure: raise reaches the caller as an ApplicationFailure it can branch on', async () => {
    const id = uniqueName('boom');
    const handle = await startCallerWorkflow({ executionId: id, yaml: RAISE });
    const failed = await failureOf(handle.result());
    expect(failed.cause).toBeInstanceOf(ActivityFailure);
    const failure = failed.cause?.cause;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const app = failure as ApplicationFailure;
    expect(app.type).toBe(BOOM_TYPE);
    expect(app.message).toBe('the widget exploded');
    expect(app.nonRetryable).toBe(true);
    expect(app.details?.[0]).toMatchObject({ workflow_execution_id: id, status: 422, title: 'Boom', detail: 'the widget exploded' });
    expect((app.details?.[0] as { task_path: string }).task_path).toContain('explode');

    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
    expect(execution.error).toMatchObject({ type: BOOM_TYPE, status: 422 });
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  });

  test('cancelExecution while paused: the caller activity fails as cancelled; repeating is harmless', async () => {
    const id = uniqueName('cancel');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(500) });
    await untilPhase(id, ExecutionPhase.EXECUTION_IN_PROGRESS);
    await stack.client.pauseExecution({ executionId: id, reason: 'hold on' });
    await stack.client.pauseExecution({ executionId: id, reason: 'hold on' });
    expect((await untilPhase(id, ExecutionPhase.EXECUTION_PAUSED)).phase).toBe(ExecutionPhase.EXECUTION_PAUSED);

    await stack.client.cancelExecution({ executionId: id, reason: 'no longer needed' });
    // Temporal takes a reported cancellation only from a caller that asked for one: a runner-side
    // cancel reaches the caller as a failure of a type it can branch on.
    const failed = await failureOf(handle.result());
    expect(failed.cause).toBeInstanceOf(ActivityFailure);
    const app = failed.cause?.cause as ApplicationFailure;
    expect(app).toBeInstanceOf(ApplicationFailure);
    expect(app.type).toBe(CANCELLED_FAILURE_TYPE);
    expect(app.message).toContain('no longer needed');
    expect(app.details?.[0]).toMatchObject({ workflow_execution_id: id, reason: 'no longer needed', status: 499 });

    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
    await stack.client.cancelExecution({ executionId: id });
  });

  test("the caller cancels its side: the execution is cancelled and the cancellation acknowledged", async () => {
    const id = uniqueName('caller-cancel');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(60_000) });
    await untilPhase(id, ExecutionPhase.EXECUTION_IN_PROGRESS);
    await handle.cancel();
    // WAIT_CANCELLATION_COMPLETED: the caller's workflow only ends once the runner reported back.
    const failed = await failureOf(handle.result());
    expect(failed.cause).toBeInstanceOf(CancelledFailure);

    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
    // The reported cancellation says why, in the caller's own history.
    const cancelled = (await handle.fetchHistory()).events?.find((e) => e.activityTaskCanceledEventAttributes);
    const payload = cancelled?.activityTaskCanceledEventAttributes?.details?.payloads?.[0];
    expect(payload && defaultPayloadConverter.fromPayload(payload)).toEqual({
      workflow_execution_id: id,
      reason: 'the caller cancelled its activity',
    });
  });

  test('a retried caller activity brings a new token: the result goes to the newest one', async () => {
    const id = uniqueName('retarget');
    // Attempt 1 times out at 4 s; attempt 2 re-sends executeAsync with its own token; the
    // execution ends at about 6 s, inside attempt 2's window.
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(6_000), input: { name: 'Cy' }, startToCloseMs: 4_000, maximumAttempts: 2 });
    expect(await handle.result()).toEqual({ done: true, name: 'Cy' });

    const handOvers = caller.handOvers.filter((h) => h.executionId === id);
    expect(handOvers.map((h) => h.attempt)).toEqual([1, 2]);
    expect(handOvers[0]?.response.message).toBe('started');
    expect(handOvers[1]?.response.message).toContain('newest callback token');
    expect((await untilSettled(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  });

  test("the caller's activity timed out first: callback LOST, the result intact", async () => {
    const id = uniqueName('lost');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(3_000), startToCloseMs: 1_500 });
    const failed = await failureOf(handle.result());
    expect(failed.cause?.cause).toBeInstanceOf(TimeoutFailure);

    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ done: true, name: 'nobody' });
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_LOST);
    expect(execution.callback?.lastError).toContain('no longer exists');
  });

  test('a garbage token: the execution completes, the callback is FAILED_DELIVERY, nothing crashes', async () => {
    const id = uniqueName('garbage');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(300), fakeToken: 'definitely-not-a-task-token' });
    const execution = await untilSettled(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ done: true, name: 'nobody' });
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_FAILED_DELIVERY);
    expect(execution.callback?.lastError).toContain('ZGVmaW5pdGVseS1ub3Qt');
    expect(execution.callback?.lastError).not.toContain('ZGVmaW5pdGVseS1ub3QtYS10YXNr');
    await handle.terminate('test over');
    // The runner still serves.
    expect((await stack.client.execute({ workflowExecutionId: uniqueName('after-garbage'), workflowYaml: HELLO, input: { name: 'Di' } })).output).toEqual({
      greeting: 'Hello, Di!',
    });
  });

  test('the same token sent twice (a retried RPC) changes nothing, before or after the end', async () => {
    const id = uniqueName('twice');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(1_000), input: { name: 'Hal' }, sendTwice: true });
    expect(await handle.result()).toEqual({ done: true, name: 'Hal' });
    const [first, second] = caller.handOvers.filter((h) => h.executionId === id);
    expect(first?.response.message).toBe('started');
    expect(second?.response.message).toContain('already running');
    expect((await untilSettled(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);

    const late = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_000), callbackToken: first?.token });
    expect(late.message).toContain('nothing new was started');
    expect((await stack.client.getExecution(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  });

  test('a token arriving for an execution started without one gets the result', async () => {
    const id = uniqueName('late-token');
    await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_500), input: { name: 'Jo' } });
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(1_500), input: { name: 'ignored' } });
    expect(await handle.result()).toEqual({ done: true, name: 'Jo' });
    expect((await untilSettled(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  });

  test('a repeated executeAsync after the end answers the new token at once with the stored result', async () => {
    const id = uniqueName('late');
    await stack.client.execute({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Ed' } });
    const handle = await startCallerWorkflow({ executionId: id, yaml: HELLO, input: { name: 'ignored' } });
    expect(await handle.result()).toEqual({ greeting: 'Hello, Ed!' });
    // The delivery workflow may complete the caller before the executeAsync answer reaches it.
    const handOver = await eventually(async () => caller.handOvers.find((h) => h.executionId === id), (h) => h !== undefined);
    expect(handOver?.response.status).toBe('completed');
    expect(handOver?.response.message).toContain('(COMPLETED)');
  });
});

describe('without a callback token', () => {
  test('execute waits and returns the result; nothing is completed', async () => {
    const id = uniqueName('plain');
    const execution = await stack.client.execute({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Ada' } });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(execution.output).toEqual({ greeting: 'Hello, Ada!' });
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_NONE);
    expect(execution.tasks.map((t) => t.name)).toEqual(['greet']);
    expect(await stack.client.getExecution(id)).toEqual(execution);
  });

  test('execute of a failing workflow returns the failed execution, not an RPC error', async () => {
    const execution = await stack.client.execute({ workflowExecutionId: uniqueName('boom-plain'), workflowYaml: RAISE });
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
    expect(execution.error).toMatchObject({ type: BOOM_TYPE, status: 422, title: 'Boom', detail: 'the widget exploded' });
    expect(execution.error?.taskPath).toContain('explode');
    expect(execution.tasks.map((t) => [t.name, t.status])).toEqual([
      ['prepare', WorkflowTaskStatus.WORKFLOW_TASK_COMPLETED],
      ['explode', WorkflowTaskStatus.WORKFLOW_TASK_FAILED],
    ]);
  });

  test('a duplicate id starts one workflow', async () => {
    const id = uniqueName('dup');
    const first = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_000) });
    const runId = (await caller.client.workflow.getHandle(id).describe()).runId;
    const second = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_000) });
    expect(first).toMatchObject({ workflowExecutionId: id, status: 'running', temporalWorkflowId: id, message: 'started' });
    expect(second.message).toContain('nothing new was started');
    await untilSettled(id);
    const third = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(1_000) });
    expect(third.status).toBe('completed');
    expect((await caller.client.workflow.getHandle(id).describe()).runId).toBe(runId);
  });

  test('watchExecution streams transitions and ends at the terminal phase', async () => {
    const id = uniqueName('watch');
    await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(600) });
    const messages = await stack.client.watch(id);
    const phases = messages.map((m) => m.phase);
    expect(phases.at(-1)).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(phases).toContain(ExecutionPhase.EXECUTION_IN_PROGRESS);
    expect(messages.at(-1)?.tasks.map((t) => t.name)).toEqual(['rest', 'answer']);
    // One message per change: never the same state twice in a row.
    for (let i = 1; i < messages.length; i++) expect(messages[i]).not.toEqual(messages[i - 1]);
  });

  test('pause holds the execution before its next task; resume lets it finish', async () => {
    const id = uniqueName('pause');
    await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(300) });
    await stack.client.pauseExecution({ executionId: id });
    await untilPhase(id, ExecutionPhase.EXECUTION_PAUSED);
    await Bun.sleep(500);
    expect((await stack.client.getExecution(id)).phase).toBe(ExecutionPhase.EXECUTION_PAUSED);
    await stack.client.resumeExecution({ executionId: id });
    await stack.client.resumeExecution({ executionId: id });
    expect((await untilSettled(id)).phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  });

  test('cancel: NOT_FOUND for an unknown id, FAILED_PRECONDITION once completed, force terminates', async () => {
    const unknown = await stack.client.cancelExecution({ executionId: uniqueName('nobody') }).catch((e: ServiceError) => e);
    expect((unknown as ServiceError).code).toBe(GrpcStatus.NOT_FOUND);

    const done = uniqueName('done');
    await stack.client.execute({ workflowExecutionId: done, workflowYaml: HELLO, input: { name: 'x' } });
    const late = await stack.client.cancelExecution({ executionId: done }).catch((e: ServiceError) => e);
    expect((late as ServiceError).code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect((late as ServiceError).details).toContain('COMPLETED');

    const forced = uniqueName('forced');
    await stack.client.executeAsync({ workflowExecutionId: forced, workflowYaml: slow(60_000) });
    await untilPhase(forced, ExecutionPhase.EXECUTION_IN_PROGRESS);
    await stack.client.cancelExecution({ executionId: forced, reason: 'stuck', force: true });
    expect((await stack.client.getExecution(forced)).phase).toBe(ExecutionPhase.EXECUTION_TERMINATED);
    await stack.client.cancelExecution({ executionId: forced, force: true });
  });
});

describe('force-cancel with a callback', () => {
  test('terminating still fails the caller activity', async () => {
    const id = uniqueName('force-cb');
    const handle = await startCallerWorkflow({ executionId: id, yaml: slow(60_000) });
    await untilPhase(id, ExecutionPhase.EXECUTION_IN_PROGRESS);
    await stack.client.cancelExecution({ executionId: id, reason: 'operator gave up', force: true });
    const failed = await failureOf(handle.result());
    const app = failed.cause?.cause as ApplicationFailure;
    expect(app).toBeInstanceOf(ApplicationFailure);
    expect(app.type).toBe(TERMINATED_FAILURE_TYPE);
    expect(app.message).toBe('operator gave up');
    const execution = await stack.client.getExecution(id);
    expect(execution.phase).toBe(ExecutionPhase.EXECUTION_TERMINATED);
    expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  });
});
