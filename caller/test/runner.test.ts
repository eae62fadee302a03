/**
 * The TypeScript caller against the real runner and the real dev server: every way a hand-off can
 * end, as the calling workflow sees it and as the runner records it.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { CompleteAsyncError } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { activityInfo } from '@temporalio/activity';
import { CallbackDelivery, ExecutionPhase } from '@baton/proto';
import { CANCELLED_FAILURE_TYPE, TERMINATED_FAILURE_TYPE } from '../../runner/src/contract/index.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../../runner/src/workflow/callback.ts';
import { testTemporal, uniqueTaskQueue } from '../../test/temporal-env.ts';
import { createRunnerActivities, RunnerFailureType } from '../src/index.ts';
import type { ExecuteOnRunnerArgs, RunnerActivities, RunnerActivitiesHandle } from '../src/index.ts';
import { RUNNER_HEARTBEAT_INTERVAL_MS } from '../src/workflow.ts';
import type { CallOutcome, CallRequest } from './fixtures/caller-workflows.ts';
import { RAISE_YAML, startRunnerStack, waitThenGreet } from './fixtures/runner-stack.ts';
import type { RunnerStack } from './fixtures/runner-stack.ts';

/** A hand-off waits on heartbeats and timers; bun's 5 s default is too tight on a shared 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;
/** Bundling the runner's interpreter and the caller's workflows takes seconds on a busy machine. */
const SETUP_TIMEOUT_MS = 120_000;
const WORKFLOWS_PATH = new URL('./fixtures/caller-workflows.ts', import.meta.url).pathname;

let stack: RunnerStack;
let handle: RunnerActivitiesHandle;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
const taskQueue = uniqueTaskQueue('ts-caller');
let sharedWorker: Worker;
let sharedRun: Promise<void>;

function callerWorker(queue: string, activities: RunnerActivities): Promise<Worker> {
  return Worker.create({
    connection: nativeConnection,
    namespace: testTemporal().namespace,
    taskQueue: queue,
    workflowsPath: WORKFLOWS_PATH,
    activities,
    interceptors: { activity: handle.activityInterceptors },
  });
}

beforeAll(async () => {
  const { address, namespace } = testTemporal();
  stack = await startRunnerStack();
  handle = createRunnerActivities({ runner: stack.address });
  nativeConnection = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address, connectTimeout: 2_000 });
  client = new Client({ connection, namespace });
  sharedWorker = await callerWorker(taskQueue, handle.activities);
  sharedRun = sharedWorker.run();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  sharedWorker?.shutdown();
  await sharedRun;
  handle?.close();
  await stack?.stop();
  await connection?.close();
  await nativeConnection?.close();
});

function start(request: CallRequest, queue = taskQueue) {
  return client.workflow.start('callRunner', { taskQueue: queue, workflowId: `ts-caller-${request.args.workflowExecutionId}`, args: [request] });
}

function greetArgs(wait: string): ExecuteOnRunnerArgs {
  return { workflowExecutionId: crypto.randomUUID(), workflowYaml: waitThenGreet(wait), input: { name: 'Ada' } };
}

const inProgress = (execution: { phase: ExecutionPhase }) => execution.phase === ExecutionPhase.EXECUTION_IN_PROGRESS;

test("the caller's heartbeat default is built on the runner's heartbeat interval", () => {
  expect(RUNNER_HEARTBEAT_INTERVAL_MS).toBe(DEFAULT_HEARTBEAT_INTERVAL_MS);
});

test("the caller knows the runner's own failure types", () => {
  expect(RunnerFailureType).toEqual({ executionCancelled: CANCELLED_FAILURE_TYPE, executionTerminated: TERMINATED_FAILURE_TYPE });
});

test("success: the calling workflow's result is the YAML workflow's output", async () => {
  const run = await start({ args: greetArgs('PT0.2S') });
  expect(await run.result()).toEqual<CallOutcome>({ kind: 'completed', output: { greeting: 'hello Ada', language: 'typescript' } });
}, TEST_TIMEOUT_MS);

test("failure: a raise fails the activity with the runner's error, and the workflow branches on it", async () => {
  const id = crypto.randomUUID();
  const outcome = await (await start({ args: { workflowExecutionId: id, workflowYaml: RAISE_YAML } })).result();
  if (outcome.kind !== 'failed') throw new Error(`expected the runner's failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.failure).toMatchObject({
    type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation',
    status: 422,
    title: 'Order rejected',
    detail: 'the basket is empty',
    workflowExecutionId: id,
  });
  expect(outcome.failure.taskPath).toContain('reject');
}, TEST_TIMEOUT_MS);

test("a request the runner refuses fails at once with the runner's message", async () => {
  const outcome = await (await start({ args: { workflowExecutionId: crypto.randomUUID(), workflowYaml: 'do: 42' } })).result();
  if (outcome.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  expect(outcome.rejection.code).toBe('INVALID_ARGUMENT');
  expect(outcome.rejection.message.length).toBeGreaterThan(0);
}, TEST_TIMEOUT_MS);

test('a workflow over the runner size limit is refused at once, not retried', async () => {
  const oversized = `${waitThenGreet('PT0S')}# ${'x'.repeat(1024 * 1024)}\n`;
  const outcome = await (await start({ args: { workflowExecutionId: crypto.randomUUID(), workflowYaml: oversized } })).result();
  if (outcome.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(outcome).slice(0, 300)}`);
  expect(outcome.rejection.code).toBe('RESOURCE_EXHAUSTED');
  expect(outcome.rejection.message).toContain('--max-yaml-bytes');
}, TEST_TIMEOUT_MS);

test("cancelling the calling workflow cancels the runner's execution through the heartbeat", async () => {
  const args = greetArgs('PT60S');
  const run = await start({ args });
  await stack.waitForExecution(args.workflowExecutionId, 'in progress', inProgress);
  await run.cancel();
  const error = await run.result().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  await stack.waitForExecution(args.workflowExecutionId, 'cancelled', (execution) => execution.phase === ExecutionPhase.EXECUTION_CANCELLED);
}, TEST_TIMEOUT_MS);

test("cancelling the runner's execution ends the caller's activity as cancelled", async () => {
  const args = greetArgs('PT60S');
  const run = await start({ args });
  await stack.waitForExecution(args.workflowExecutionId, 'in progress', inProgress);
  await stack.cancelExecution(args.workflowExecutionId, 'operator stop');
  const outcome = await run.result();
  expect(outcome).toMatchObject({ kind: 'cancelled', by: 'runner', workflowExecutionId: args.workflowExecutionId });
}, TEST_TIMEOUT_MS);

test("forcing the runner's execution to stop fails the caller's activity as terminated", async () => {
  const args = greetArgs('PT60S');
  const run = await start({ args });
  await stack.waitForExecution(args.workflowExecutionId, 'in progress', inProgress);
  await stack.cancelExecution(args.workflowExecutionId, 'operator kill', { force: true });
  expect(await run.result()).toMatchObject({ kind: 'terminated', workflowExecutionId: args.workflowExecutionId });
}, TEST_TIMEOUT_MS);

test('parked means parked: no caller worker while the runner works, the result waits for one', async () => {
  const queue = uniqueTaskQueue('ts-caller-parked');
  // Long enough that the worker's shutdown surely ends before the runner does.
  const args = greetArgs('PT5S');
  const first = await callerWorker(queue, handle.activities);
  const firstRun = first.run();
  const run = await start({ args }, queue);
  await stack.waitForExecution(args.workflowExecutionId, 'in progress', inProgress);
  // The runner may start before its answer reaches the activity: stop only once the activity has parked.
  while (first.getStatus().numInFlightActivities > 0) await Bun.sleep(20);
  first.shutdown();
  await firstRun;
  expect((await stack.getExecution(args.workflowExecutionId)).phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

  // The runner closes the parked activity while no caller worker exists. (Its own record of the
  // delivery is the runner's business and tested there.)
  await stack.waitForExecution(args.workflowExecutionId, 'completed', (execution) => execution.phase === ExecutionPhase.EXECUTION_COMPLETED);
  let description = await run.describe();
  for (let tries = 0; (description.raw.pendingActivities ?? []).length > 0 && tries < 300; tries++) {
    await Bun.sleep(100);
    description = await run.describe();
  }
  expect(description.raw.pendingActivities ?? []).toHaveLength(0);
  expect(description.status.name).toBe('RUNNING');

  const second = await callerWorker(queue, handle.activities);
  const outcome = await second.runUntil(run.result());
  expect(outcome).toEqual({ kind: 'completed', output: { greeting: 'hello Ada', language: 'typescript' } });
}, TEST_TIMEOUT_MS);

test('timeout: a short StartToClose times out, the runner records the callback LOST and keeps its result', async () => {
  const args = greetArgs('PT4S');
  const outcome = await (await start({ args, options: { startToCloseTimeout: '1500 milliseconds', retry: { maximumAttempts: 1 } } })).result();
  expect(outcome).toMatchObject({ kind: 'timed-out', timeoutType: 'START_TO_CLOSE' });
  const execution = await stack.waitForExecution(
    args.workflowExecutionId,
    'completed with its callback lost',
    (candidate) => candidate.phase === ExecutionPhase.EXECUTION_COMPLETED && candidate.callback?.delivery === CallbackDelivery.CALLBACK_LOST,
  );
  expect(execution.output).toEqual({ greeting: 'hello Ada', language: 'typescript' });
}, TEST_TIMEOUT_MS);

test("the runner's heartbeats keep a parked activity alive past its heartbeat timeout", async () => {
  const outcome = await (await start({ args: greetArgs('PT6S'), options: { heartbeatTimeout: '4 seconds', retry: { maximumAttempts: 1 } } })).result();
  expect(outcome).toEqual({ kind: 'completed', output: { greeting: 'hello Ada', language: 'typescript' } });
}, TEST_TIMEOUT_MS);

test('a runner that dies stops heartbeating: the caller times out on HEARTBEAT instead of waiting 24 h', async () => {
  const doomed = await startRunnerStack();
  const doomedHandle = createRunnerActivities({ runner: doomed.address });
  const queue = uniqueTaskQueue('ts-caller-dead-runner');
  const worker = await callerWorker(queue, doomedHandle.activities);
  try {
    const args = greetArgs('PT60S');
    const outcome = await worker.runUntil(async () => {
      const run = await start({ args, options: { heartbeatTimeout: '3 seconds', retry: { maximumAttempts: 1 } } }, queue);
      await doomed.waitForExecution(args.workflowExecutionId, 'in progress', inProgress);
      await doomed.stop();
      return run.result();
    });
    expect(outcome).toMatchObject({ kind: 'timed-out', timeoutType: 'HEARTBEAT' });
  } finally {
    doomedHandle.close();
    await doomed.stop();
  }
}, TEST_TIMEOUT_MS);

test('retry: the second attempt re-targets the one runner execution and gets the result', async () => {
  const queue = uniqueTaskQueue('ts-caller-retry');
  const attempts: number[] = [];
  // The first attempt reaches the runner, then dies as if its worker crashed before it could park.
  const flaky: RunnerActivities = {
    async executeOnRunner(args) {
      attempts.push(activityInfo().attempt);
      try {
        return await handle.activities.executeOnRunner(args);
      } catch (error) {
        if (error instanceof CompleteAsyncError && activityInfo().attempt === 1) {
          throw ApplicationFailure.retryable('simulated crash after executeAsync', 'SimulatedCrash');
        }
        throw error;
      }
    },
  };
  const worker = await callerWorker(queue, flaky);
  const args = greetArgs('PT2S');
  const outcome = await worker.runUntil(async () => (await start({ args, options: { retry: { initialInterval: '200 milliseconds' } } }, queue)).result());
  expect(outcome).toEqual({ kind: 'completed', output: { greeting: 'hello Ada', language: 'typescript' } });
  expect(attempts).toEqual([1, 2]);

  const executions = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${args.workflowExecutionId}'` })) executions.push(execution);
  expect(executions).toHaveLength(1);
}, TEST_TIMEOUT_MS);
