/**
 * The caller's half of the handshake, against a gRPC server this test starts in the runner's place
 * (the runner itself is exercised in runner.test.ts): the token on the wire is the activity's own,
 * the activity parks, refusals fail at once with the runner's words, outages are retried.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Metadata, Server, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { ActivityNotFoundError, Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { WorkflowRunnerServiceControllerService } from '@baton/proto';
import type { WorkflowExecuteInput, WorkflowExecuteResponse } from '@baton/proto';
import { testTemporal, uniqueTaskQueue } from '../../test/temporal-env.ts';
import { createRunnerActivities } from '../src/index.ts';
import type { RunnerActivitiesHandle } from '../src/index.ts';
import type { CallOutcome, CallRequest } from './fixtures/caller-workflows.ts';

interface Received {
  readonly request: WorkflowExecuteInput;
  readonly authorization: string | undefined;
}

const received: Received[] = [];
const flakyFailuresLeft = new Map<string, number>();

function executeAsync(call: ServerUnaryCall<WorkflowExecuteInput, WorkflowExecuteResponse>, reply: sendUnaryData<WorkflowExecuteResponse>) {
  const request = call.request;
  const authorization = call.metadata.get('authorization')[0];
  received.push({ request, authorization: typeof authorization === 'string' ? authorization : undefined });
  const id = request.workflowExecutionId;
  if (id.startsWith('reject-')) {
    reply({ code: GrpcStatus.INVALID_ARGUMENT, details: 'workflow_yaml:3:7 (do/0/wait): unknown task kind "wiat"', metadata: new Metadata() });
    return;
  }
  const failuresLeft = flakyFailuresLeft.get(id) ?? 0;
  if (failuresLeft > 0) {
    flakyFailuresLeft.set(id, failuresLeft - 1);
    reply({ code: GrpcStatus.UNAVAILABLE, details: 'runner restarting', metadata: new Metadata() });
    return;
  }
  reply(null, {
    workflowExecutionId: id,
    status: 'running',
    message: 'execution started',
    temporalWorkflowId: id,
    subscribeUrl: '',
    statusUrl: '',
  });
}

const taskQueue = uniqueTaskQueue('caller-handshake');
/** Every attribute set the activities' log lines carried, after the caller's redaction ran. */
const loggedAttributes: Record<string, unknown>[] = [];
const recordLogAttributes: ActivityInterceptorsFactory = () => ({
  outbound: {
    getLogAttributes(attributes, next) {
      const logged = next(attributes);
      loggedAttributes.push(logged);
      return logged;
    },
  },
});
let server: Server;
let handle: RunnerActivitiesHandle;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  const { address, namespace } = testTemporal();
  server = new Server();
  server.addService(WorkflowRunnerServiceControllerService, { executeAsync });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  handle = createRunnerActivities({ runner: `127.0.0.1:${port}`, token: 'caller-secret' });
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowsPath: new URL('./fixtures/caller-workflows.ts', import.meta.url).pathname,
    activities: handle.activities,
    interceptors: { activity: [recordLogAttributes, ...handle.activityInterceptors] },
  });
  running = worker.run();
  connection = await Connection.connect({ address, connectTimeout: 2_000 });
  client = new Client({ connection, namespace });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  handle?.close();
  server?.forceShutdown();
  await connection?.close();
  await nativeConnection?.close();
});

const yaml = 'document: { dsl: "1.0.0", namespace: test, name: hello, version: "0.1.0" }\ndo:\n  - hello:\n      set:\n        greeting: hello\n';

function start(request: CallRequest) {
  return client.workflow.start('callRunner', { taskQueue, workflowId: `caller-${crypto.randomUUID()}`, args: [request] });
}

async function requestsFor(id: string, count: number): Promise<Received[]> {
  for (let tries = 0; tries < 200; tries++) {
    const matching = received.filter((entry) => entry.request.workflowExecutionId === id);
    if (matching.length >= count) return matching;
    await Bun.sleep(50);
  }
  throw new Error(`the runner stand-in never saw ${count} request(s) for ${id}`);
}

test('the activity sends its own task token, parks, and resolves with what the token is completed with', async () => {
  const id = `ok-${crypto.randomUUID()}`;
  const run = await start({ args: { workflowExecutionId: id, workflowYaml: yaml, input: { name: 'Ada' } } });
  const [first] = await requestsFor(id, 1);
  expect(first!.request.workflowYaml).toBe(yaml);
  expect(first!.request.input).toEqual({ name: 'Ada' });
  expect(first!.authorization).toBe('Bearer caller-secret');
  expect(first!.request.callbackToken.length).toBeGreaterThan(0);
  expect(first!.request.callbackNamespace).toBe(testTemporal().namespace);

  const description = await run.describe();
  const pending = description.raw.pendingActivities ?? [];
  expect(pending).toHaveLength(1);
  expect(pending[0]!.activityType?.name).toBe('executeOnRunner');

  await client.activity.complete(first!.request.callbackToken, { greeting: 'hello Ada' });
  expect(await run.result()).toEqual<CallOutcome>({ kind: 'completed', output: { greeting: 'hello Ada' } });
});

test('a refusal fails the activity at once, without retries, carrying the runner code and message', async () => {
  const id = `reject-${crypto.randomUUID()}`;
  const run = await start({ args: { workflowExecutionId: id, workflowYaml: 'do: [ { x: { wiat: 1 } } ]' } });
  expect(await run.result()).toEqual<CallOutcome>({
    kind: 'rejected',
    rejection: { code: 'INVALID_ARGUMENT', message: 'workflow_yaml:3:7 (do/0/wait): unknown task kind "wiat"' },
  });
  expect(received.filter((entry) => entry.request.workflowExecutionId === id)).toHaveLength(1);
});

test('an unavailable runner is retried with the same execution id and a new token; only the newest token is live', async () => {
  const id = `flaky-${crypto.randomUUID()}`;
  flakyFailuresLeft.set(id, 1);
  const run = await start({
    args: { workflowExecutionId: id, workflowYaml: yaml },
    options: { retry: { initialInterval: '100 milliseconds', maximumAttempts: 3 } },
  });
  const [failed, accepted] = await requestsFor(id, 2);
  expect(accepted!.request.workflowExecutionId).toBe(failed!.request.workflowExecutionId);
  expect(Buffer.from(accepted!.request.callbackToken).equals(Buffer.from(failed!.request.callbackToken))).toBe(false);

  expect(client.activity.complete(failed!.request.callbackToken, 'stale')).rejects.toBeInstanceOf(ActivityNotFoundError);
  await client.activity.complete(accepted!.request.callbackToken, 'fresh');
  expect(await run.result()).toEqual<CallOutcome>({ kind: 'completed', output: 'fresh' });
});

test('malformed arguments fail before anything reaches the runner', async () => {
  const id = `bad-${crypto.randomUUID()}`;
  const run = await start({
    args: { workflowExecutionId: id, workflowYaml: yaml, input: ['not', 'an', 'object'] as unknown as Record<string, unknown> },
  });
  const outcome = await run.result();
  expect(outcome.kind).toBe('invalid-args');
  expect(received.some((entry) => entry.request.workflowExecutionId === id)).toBe(false);
});

test('no log line carries more than the first 20 base64 characters of a task token', () => {
  const tokens = loggedAttributes.map((attributes) => attributes['taskToken']).filter((token) => token !== undefined);
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) expect(String(token).length).toBeLessThanOrEqual(20);
});
