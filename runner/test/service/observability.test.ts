/**
 * What an operator sees of a runner after a known mix of executions: a runner in its own process
 * (the Temporal runtime, and so the exporter, is per process) with `--metrics-address` and JSON
 * logs, callers parking real activities on it. Each counter must have moved by exactly what was
 * done, and the log must be JSON lines naming executions, tasks and token hints — never a token.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import type { Subprocess } from 'bun';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { testTemporal } from '../../../test/temporal-env.ts';
import { freePort } from '../../src/temporal/dev-server.ts';
import { encodeTokenKey, generateTokenKey } from '../../src/token/seal.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerArgs } from './support/caller-workflows.ts';
import { startCallerSide } from './support/caller.ts';
import type { CallerSide } from './support/caller.ts';
import { connectRunner } from './support/grpc-client.ts';
import type { RunnerClient } from './support/grpc-client.ts';
import { scrape, total } from './support/scrape.ts';
import type { Series } from './support/scrape.ts';
import { eventually, uniqueName } from './support/stack.ts';
import { HELLO, RAISE, slow } from './support/workflows.ts';

setDefaultTimeout(120_000);

const taskQueue = uniqueName('metrics');
let runnerProcess: Subprocess<'ignore', 'pipe', 'pipe'>;
let stderr = '';
let runner: RunnerClient;
let caller: CallerSide;
let temporal: Client;
let metricsUrl: string;
/** The last scrape of the run, for the ops check. */
let scraped: Series[] = [];
let ids = { ok1: '', ok2: '', boom: '', lost: '', garbage: '', cancel: '' };

beforeAll(async () => {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  metricsUrl = `http://${metricsAddress}/metrics`;
  runnerProcess = Bun.spawn(['bun', new URL('./support/runner-process.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporal().address,
      TEMPORAL_NAMESPACE: testTemporal().namespace,
      BATON_GRPC_ADDRESS: '127.0.0.1:0',
      BATON_TASK_QUEUE: taskQueue,
      BATON_TOKEN_KEY: encodeTokenKey(generateTokenKey()),
      BATON_HEARTBEAT_INTERVAL: '500ms',
      BATON_METRICS_ADDRESS: metricsAddress,
      BATON_LOG_LEVEL: 'info',
      BATON_LOG_FORMAT: 'json',
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  void (async () => {
    for await (const chunk of runnerProcess.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  const reader = runnerProcess.stdout.getReader();
  let seen = '';
  while (!/ready \S+\n/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`runner process exited before it was ready (code ${await runnerProcess.exited})`);
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  runner = connectRunner(/ready (\S+)\n/.exec(seen)![1]!);
  caller = await startCallerSide({ address: testTemporal().address, namespace: testTemporal().namespace, runner, taskQueue: uniqueName('caller') });
  temporal = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
});

afterAll(async () => {
  await caller?.stop();
  runner?.close();
  runnerProcess?.kill('SIGTERM');
  await runnerProcess?.exited;
  await temporal?.connection.close();
});

function startCaller(args: Omit<CallerArgs, 'startToCloseMs' | 'maximumAttempts'> & Partial<CallerArgs>) {
  return caller.client.workflow.start(callerWorkflow, {
    taskQueue: caller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ startToCloseMs: 60_000, maximumAttempts: 1, ...args }],
  });
}

/** The Baton execution's own end (the caller may have given up on it earlier). */
async function executionEnded(id: string): Promise<void> {
  const handle = temporal.workflow.getHandle(id);
  await eventually(
    () => handle.describe().then((d) => d.status.name, () => 'UNKNOWN'),
    (status) => status !== 'UNKNOWN' && status !== 'RUNNING',
    60_000,
  );
}

test('every counter moves by exactly what a run of successes, failures, a lost callback, a bad token and a cancel did', async () => {
  const before = await scrape(metricsUrl);
  ids = { ok1: uniqueName('ok'), ok2: uniqueName('ok'), boom: uniqueName('boom'), lost: uniqueName('lost'), garbage: uniqueName('garbage'), cancel: uniqueName('cancel') };

  const callers = [
    startCaller({ executionId: ids.ok1, yaml: HELLO, input: { name: 'A' } }),
    startCaller({ executionId: ids.ok2, yaml: HELLO, input: { name: 'B' } }),
    startCaller({ executionId: ids.boom, yaml: RAISE }),
    // The caller's activity times out before the execution ends: the delivery finds it gone.
    startCaller({ executionId: ids.lost, yaml: slow(3_000), startToCloseMs: 1_500 }),
    startCaller({ executionId: ids.garbage, yaml: slow(300), fakeToken: 'definitely-not-a-task-token' }),
    startCaller({ executionId: ids.cancel, yaml: slow(60_000) }),
  ];
  const handles = await Promise.all(callers);

  // The long one is watched: the pending gauge counts it once its watcher runs (after one interval).
  const pending = await eventually(
    () => scrape(metricsUrl),
    (series) => total(series, 'baton_callbacks_pending', { older_than: '0s' }) >= 1 && total(series, 'baton_executions_started_total') >= 6,
  );
  expect(total(pending, 'baton_callbacks_pending', { older_than: '0s' })).toBeGreaterThanOrEqual(1);
  expect(total(pending, 'baton_callbacks_pending', { older_than: '1d' })).toBe(0);

  await runner.cancelExecution({ executionId: ids.cancel, reason: 'metrics test' });
  // A refused request: one validation failure, by its code.
  const refused = await runner.executeAsync({ workflowExecutionId: 'not a valid id!', workflowYaml: HELLO }).then(
    () => undefined,
    (err: ServiceError) => err,
  );
  expect(refused?.code).toBe(3);

  await Promise.all(handles.map((handle) => handle.result().catch(() => undefined)));
  for (const id of Object.values(ids)) await executionEnded(id);
  for (const id of Object.values(ids)) await runner.getExecution(id);

  // Workflow-side metrics leave with the activation's completion: wait until they are all in.
  const after = await eventually(
    () => scrape(metricsUrl),
    (series) => delta(series, 'baton_executions_finished_total') >= 6 && total(series, 'baton_callbacks_pending', { older_than: '0s' }) === 0,
  );
  function delta(series: readonly Series[], name: string, labels: Record<string, string> = {}): number {
    return total(series, name, labels) - total(before, name, labels);
  }
  const d = (name: string, labels: Record<string, string> = {}) => delta(after, name, labels);

  expect(d('baton_executions_started_total')).toBe(6);
  expect(d('baton_executions_finished_total', { phase: 'completed' })).toBe(4);
  expect(d('baton_executions_finished_total', { phase: 'failed' })).toBe(1);
  expect(d('baton_executions_finished_total', { phase: 'cancelled' })).toBe(1);
  expect(d('baton_execution_duration_count', { phase: 'completed' })).toBe(4);
  expect(d('baton_execution_duration_count')).toBe(6);

  expect(d('baton_external_activity_completions_total', { outcome: 'completed' })).toBe(2);
  expect(d('baton_external_activity_completions_total', { outcome: 'failed' })).toBe(1);
  expect(d('baton_external_activity_completions_total', { outcome: 'cancelled' })).toBe(1);
  expect(d('baton_external_activity_completions_total', { outcome: 'lost' })).toBe(1);
  expect(d('baton_external_activity_completions_total', { outcome: 'failed_delivery' })).toBe(1);
  expect(d('baton_external_activity_completions_total')).toBe(6);
  expect(d('baton_external_activity_completion_duration_count')).toBe(6);
  expect(total(after, 'baton_callbacks_pending', { older_than: '0s' })).toBe(0);

  expect(d('baton_grpc_requests_total', { method: 'executeAsync', code: 'OK' })).toBe(6);
  expect(d('baton_grpc_requests_total', { method: 'executeAsync', code: 'INVALID_ARGUMENT' })).toBe(1);
  expect(d('baton_grpc_requests_total', { method: 'cancelExecution', code: 'OK' })).toBe(1);
  expect(d('baton_grpc_requests_total', { method: 'getExecution', code: 'OK' })).toBe(6);
  expect(d('baton_grpc_requests_total')).toBe(14);
  expect(d('baton_grpc_request_duration_count')).toBe(14);
  expect(d('baton_validation_failures_total', { code: 'ID_INVALID' })).toBe(1);
  expect(d('baton_validation_failures_total')).toBe(1);

  // The SDK's own worker metrics share the endpoint.
  expect(total(after, 'temporal_workflow_completed_total')).toBeGreaterThan(0);
  scraped = await scrape(metricsUrl);
});

test('the log is JSON lines naming the execution, the failed task and the token hint, never a whole token nor the Bun probe', () => {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'msg']);

  const delivered = entries.filter((entry) => entry.msg === 'callback delivered');
  expect(delivered.map((entry) => entry.executionId).sort()).toEqual([ids.ok1, ids.ok2, ids.boom, ids.cancel].sort());
  for (const entry of delivered) expect(entry.tokenHint).toMatch(/^[A-Za-z0-9+/=]{20}$/);
  expect(entries.find((entry) => entry.msg === 'callback not delivered (LOST)')?.executionId).toBe(ids.lost);

  const failed = entries.find((entry) => entry.msg === 'task failed' && entry.executionId === ids.boom);
  expect(failed?.taskPath).toBe('/do/1/explode');
  expect(entries.find((entry) => entry.msg === 'execution ended' && entry.executionId === ids.boom)).toMatchObject({ level: 'info', phase: 'FAILED', callback: 'COMPLETED' });

  // The callers' task tokens are bearer credentials: at most their hint is written.
  for (const handOver of caller.handOvers) {
    const token = Buffer.from(handOver.token).toString('base64');
    expect(stderr).not.toContain(token.slice(0, 32));
  }
  expect(stderr).not.toContain('promiseHooks');
});

test("every metric the Grafana dashboard and the alert rules in ops/ query is one this runner exports", () => {
  const OPS = new URL('../../../ops/', import.meta.url).pathname;
  const dashboard = JSON.parse(readFileSync(`${OPS}grafana/baton-runner.json`, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  const rules = readFileSync(`${OPS}prometheus/baton-alerts.yml`, 'utf8');
  const METRIC = /\b(?:baton|temporal)_[a-z0-9_]+/g;
  const queried = new Set([...queries.join('\n').matchAll(METRIC), ...rules.matchAll(METRIC)].map((match) => match[0]));
  expect(queried.size).toBeGreaterThan(10);
  const exported = new Set(scraped.map((series) => series.name));
  expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  expect(dashboard.panels.every((panel) => panel.targets.length > 0)).toBe(true);
});
