/**
 * Tracing off (the default) costs nothing: no OpenTelemetry SDK or Temporal interceptor module is
 * loaded, and a runner started without tracing carries no trace, even for a call that sent one.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { Client, Connection } from '@temporalio/client';
import { WorkflowRunnerServiceControllerClient } from '@baton/proto';
import type { WorkflowExecuteResponse } from '@baton/proto';
import { testTemporal } from '../../../test/temporal-env.ts';
import { loadConfig } from '../../src/config.ts';
import { tracingFor } from '../../src/tracing/index.ts';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

const LOADED_MODULES = new URL('./fixtures/loaded-modules.ts', import.meta.url).pathname;
/** The header Temporal's OpenTelemetry interceptors carry a trace in. */
const TRACE_HEADER = '_tracer-data';

let stack: Stack;
let connection: Connection;
let quoteServer: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  quoteServer = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => Response.json({ quote: 'untraced' }) });
  stack = await startStack({ egress: { allow: new Set(['loopback' as const]) } });
  connection = await Connection.connect({ address: testTemporal().address });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await connection?.close();
  await quoteServer?.stop(true);
});

/** Runs the fixture in a process of its own and returns the SDK modules it had loaded. */
async function sdkModulesLoaded(otel: Record<string, string>): Promise<string[]> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('OTEL_')) env[name] = value;
  const child = Bun.spawn(['bun', LOADED_MODULES], { env: { ...env, ...otel }, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const line = stdout.split('\n').find((text) => text.startsWith('LOADED '));
  if (code !== 0 || !line) throw new Error(`the fixture failed (exit ${code}): ${stderr}`);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

test('with no OTEL_* variables, a runner process loads no OpenTelemetry SDK and no Temporal interceptor', async () => {
  expect(await sdkModulesLoaded({})).toEqual([]);
  // The same process with tracing asked for does load them: the check above can see them.
  const traced = await sdkModulesLoaded({ OTEL_TRACES_EXPORTER: 'console' });
  expect(traced.some((path) => path.includes('sdk-trace-base'))).toBe(true);
  expect(traced.some((path) => path.includes('interceptors-opentelemetry'))).toBe(true);
}, 60_000);

test('tracing off by default: nothing is started, and the process has no recording tracer', async () => {
  const loaded = loadConfig({ argv: [], env: {} });
  if (!loaded.ok) throw new Error('the default config must load');
  expect(loaded.config.tracing).toEqual({ enabled: false });
  expect(await tracingFor(loaded.config.tracing)).toBeUndefined();
  expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
});

test('a runner without tracing carries no trace: a call sending traceparent starts a workflow whose history holds no trace header', async () => {
  const id = uniqueName('untraced');
  const yaml = `document:\n  dsl: '1.0.0'\n  namespace: tracing-test\n  name: untraced\n  version: '0.1.0'\ndo:\n  - fetchQuote:\n      call: http\n      with:\n        method: get\n        endpoint: http://127.0.0.1:${quoteServer.port}/quote\n`;
  const client = new WorkflowRunnerServiceControllerClient(stack.runner.grpcAddress, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  try {
    const answer = await new Promise<WorkflowExecuteResponse>((resolve, reject) =>
      client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml, callbackToken: new Uint8Array(), input: undefined, callbackNamespace: '', workflowReference: undefined }, metadata, (error: ServiceError | null, response: WorkflowExecuteResponse) =>
        error ? reject(error) : resolve(response),
      ),
    );
    expect(answer.status).toBe('running');
  } finally {
    client.close();
  }
  const handle = new Client({ connection, namespace: testTemporal().namespace }).workflow.getHandle(id);
  expect(await handle.result()).toEqual({ quote: 'untraced' });
  const { events } = await handle.fetchHistory();
  const started = events?.find((event) => event.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes;
  const scheduled = events?.filter((event) => event.activityTaskScheduledEventAttributes).map((event) => event.activityTaskScheduledEventAttributes!) ?? [];
  expect(started).toBeDefined();
  expect(scheduled.length).toBeGreaterThan(0);
  expect(Object.keys(started?.header?.fields ?? {})).not.toContain(TRACE_HEADER);
  for (const activity of scheduled) expect(Object.keys(activity.header?.fields ?? {})).not.toContain(TRACE_HEADER);
}, 60_000);
