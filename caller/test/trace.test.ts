/**
 * One OpenTelemetry trace through the whole handshake, on the real dev server: the calling
 * workflow and its activity (traced as a caller would, with the Temporal SDK's interceptors),
 * the gRPC call to the real runner (context in the call's metadata), the runner's service span,
 * the interpreter workflow, its HTTP activity, and the delivery that completes the caller's
 * activity. Spans are collected in memory and checked link by link.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createRequire } from 'node:module';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { WORKFLOW_RUNNER_SERVICE_NAME } from '@baton/proto';
import { INTERPRETER_WORKFLOW_TYPE } from '../../runner/src/contract/index.ts';
import { startTracing } from '../../runner/src/tracing/index.ts';
import type { Tracing } from '../../runner/src/tracing/index.ts';
import { testTemporal, uniqueTaskQueue } from '../../test/temporal-env.ts';
import { createRunnerActivities } from '../src/index.ts';
import { connectRunner, RunnerCallError } from '../src/runner-client.ts';
import type { RunnerActivitiesHandle } from '../src/index.ts';
import type { CallOutcome, CallRequest } from './fixtures/caller-workflows.ts';
import { startRunnerStack, yamlDocument } from './fixtures/runner-stack.ts';
import type { RunnerStack } from './fixtures/runner-stack.ts';

const SETUP_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 60_000;
const WORKFLOWS_PATH = new URL('./fixtures/caller-workflows.ts', import.meta.url).pathname;
const OTEL_WORKFLOW_INTERCEPTORS = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: RunnerStack;
let handle: RunnerActivitiesHandle;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let quoteServer: ReturnType<typeof Bun.serve>;
/** Base64 task tokens of the caller's activities, to prove no span carries one whole. */
const taskTokens: string[] = [];

const recordTaskToken: ActivityInterceptorsFactory = (ctx) => {
  taskTokens.push(Buffer.from(ctx.info.taskToken).toString('base64'));
  return {};
};

beforeAll(async () => {
  tracing = await startTracing({ spanProcessor: new SimpleSpanProcessor(exporter) });
  quoteServer = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => Response.json({ quote: 'traced' }) });
  stack = await startRunnerStack({ tracing, loopbackCalls: true });
  handle = createRunnerActivities({ runner: stack.address });
  const { address, namespace } = testTemporal();
  nativeConnection = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  // The caller's own process, traced the way docs/caller.md says: the SDK's client, workflow and
  // activity interceptors, workflow spans leaving through the sink.
  client = new Client({ connection, namespace, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: uniqueTaskQueue('traced-caller'),
    workflowsPath: WORKFLOWS_PATH,
    activities: handle.activities,
    interceptors: {
      workflowModules: [OTEL_WORKFLOW_INTERCEPTORS],
      activity: [...tracing.activityInterceptors, recordTaskToken, ...handle.activityInterceptors],
    },
    sinks: tracing.sinks,
  });
  running = worker.run();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  worker?.shutdown();
  await running;
  handle?.close();
  await stack?.stop();
  await connection?.close();
  await nativeConnection?.close();
  await quoteServer?.stop(true);
  await tracing?.shutdown();
});

function byName(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length} among: ${spans.map((span) => span.name).join(', ')}`);
  return found[0]!;
}

/** Workflow spans arrive through a sink after their activation: wait until the last one is in. */
async function spansOfTrace(until: (spans: readonly ReadableSpan[]) => boolean): Promise<readonly ReadableSpan[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (until(spans) || Date.now() > deadline) return spans;
    await Bun.sleep(50);
  }
}

test("one trace covers the caller's activity, the runner's gRPC call, the interpreter, its activity and the callback completion", async () => {
  const executionId = `traced-${crypto.randomUUID()}`;
  const yaml = yamlDocument(
    'traced',
    `  - fetchQuote:
      call: http
      with:
        method: get
        endpoint: http://127.0.0.1:${quoteServer.port}/quote
`,
  );
  const request: CallRequest = { args: { workflowExecutionId: executionId, workflowYaml: yaml } };
  const run = await client.workflow.start('callRunner', { taskQueue: worker.options.taskQueue, workflowId: `caller-${executionId}`, args: [request] });
  expect(await run.result()).toEqual<CallOutcome>({ kind: 'completed', output: { quote: 'traced' } });

  const spans = await spansOfTrace((all) => all.some((span) => span.name === 'RunWorkflow:callRunner'));
  const start = byName(spans, 'StartWorkflow:callRunner');
  const callerWorkflow = byName(spans, 'RunWorkflow:callRunner');
  const scheduleHandOff = byName(spans, 'StartActivity:executeOnRunner');
  const handOff = byName(spans, 'RunActivity:executeOnRunner');
  const rpc = byName(spans, `${WORKFLOW_RUNNER_SERVICE_NAME}/executeAsync`);
  const startInterpreter = byName(spans, `StartWorkflow:${INTERPRETER_WORKFLOW_TYPE}`);
  const interpreter = byName(spans, `RunWorkflow:${INTERPRETER_WORKFLOW_TYPE}`);
  const scheduleCall = byName(spans, 'StartActivity:httpCall');
  const call = byName(spans, 'RunActivity:httpCall');
  const scheduleCompletion = byName(spans, 'StartActivity:completeCallback');
  const completion = byName(spans, 'RunActivity:completeCallback');
  const delivery = byName(spans, 'DeliverCallback:complete');

  // One trace, from the caller's start to the runner's delivery.
  const traceId = start.spanContext().traceId;
  for (const span of [callerWorkflow, scheduleHandOff, handOff, rpc, startInterpreter, interpreter, scheduleCall, call, scheduleCompletion, completion, delivery]) {
    expect({ span: span.name, traceId: span.spanContext().traceId }).toEqual({ span: span.name, traceId });
  }
  // Each link is the one that crossed the boundary: parent → child.
  const links: [ReadableSpan, ReadableSpan][] = [
    [start, callerWorkflow],
    [callerWorkflow, scheduleHandOff],
    [scheduleHandOff, handOff],
    [handOff, rpc], // the gRPC metadata
    [rpc, startInterpreter],
    [startInterpreter, interpreter], // the workflow's headers
    [interpreter, scheduleCall],
    [scheduleCall, call],
    [interpreter, scheduleCompletion],
    [scheduleCompletion, completion],
    [completion, delivery],
  ];
  for (const [parent, child] of links) {
    expect({ child: child.name, parent: child.parentSpanId }).toEqual({ child: child.name, parent: parent.spanContext().spanId });
  }
  expect(start.parentSpanId).toBeUndefined();

  expect(rpc.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'executeAsync', 'rpc.grpc.status_code': 0, 'baton.execution_id': executionId });
  expect(delivery.attributes).toMatchObject({ 'baton.execution_id': executionId, 'baton.callback.action': 'complete', 'baton.callback.state': 'COMPLETED' });
  expect(String(delivery.attributes['baton.callback.token_hint']).length).toBeLessThan(32);

  // The callback token never appears whole in any span of the trace.
  expect(taskTokens.length).toBeGreaterThan(0);
  const attributeText = JSON.stringify(spans.map((span) => [span.attributes, span.events]));
  for (const token of taskTokens) expect(attributeText.includes(token)).toBe(false);
  expect(String(rpc.attributes['baton.callback.token_hint'])).toBe(taskTokens.at(-1)!.slice(0, String(rpc.attributes['baton.callback.token_hint']).length));
}, TEST_TIMEOUT_MS);

test('a call the runner refuses is traced in the caller\'s trace with its status code, and not as a server error', async () => {
  const runner = connectRunner({ runner: stack.address });
  try {
    const refusal = await trace
      .getTracer('test')
      .startActiveSpan('caller', (span) =>
        runner
          .executeAsync({ workflowExecutionId: `refused-${crypto.randomUUID()}`, workflowYaml: 'do: 42', callbackToken: new Uint8Array(), input: undefined, callbackNamespace: '', workflowReference: undefined })
          .then(
            () => undefined,
            (error: unknown) => error,
          )
          .finally(() => span.end()),
      );
    expect(refusal).toBeInstanceOf(RunnerCallError);
    expect((refusal as RunnerCallError).code).toBe('INVALID_ARGUMENT');
  } finally {
    runner.close();
  }
  const spans = exporter.getFinishedSpans();
  const caller = spans.filter((span) => span.name === 'caller').at(-1)!;
  const rpc = spans.filter((span) => span.name === `${WORKFLOW_RUNNER_SERVICE_NAME}/executeAsync` && span.parentSpanId === caller.spanContext().spanId);
  expect(rpc).toHaveLength(1);
  expect(rpc[0]!.spanContext().traceId).toBe(caller.spanContext().traceId);
  expect(rpc[0]!.attributes['rpc.grpc.status_code']).toBe(3);
  expect(rpc[0]!.status.code).toBe(SpanStatusCode.UNSET);
}, TEST_TIMEOUT_MS);
