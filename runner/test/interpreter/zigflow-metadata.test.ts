/**
 * Zigflow's metadata with effects beyond a workflow's output, checked on the real dev server:
 * `canMaxHistoryLength` continues as new; `metadata.heartbeat` sets how often an activity heartbeats;
 * `metadata.searchAttributes` upserts attributes the test dev server registered (test/search-attributes.ts).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { compileYaml, failureOf, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { startHttpFixture } from './http-fixture.ts';
import type { HttpFixture } from './http-fixture.ts';

let harness: Harness;
let http: HttpFixture;

beforeAll(async () => {
  http = startHttpFixture();
  harness = await startHarness('zigflow-metadata');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  http?.stop();
});

const header = (name: string, metadata = '') => `document:
  dsl: 1.0.0
  taskQueue: zigflow-metadata
  workflowType: ${name}
  version: 1.0.0
${metadata}`;

const waits = (count: number) =>
  Array.from({ length: count }, (_, i) => `  - pause${i}:\n      wait:\n        milliseconds: 1\n`).join('');

test('canMaxHistoryLength continues as new and the last run finishes the work', async () => {
  const plan = compileYaml(`${header('can-limit', '  metadata:\n    canMaxHistoryLength: 10\n')}do:\n${waits(6)}  - done:\n      set: { done: true }\n`, 'can-limit.yaml');
  const handle = await harness.start(plan, {});
  expect(await handle.result()).toEqual({ done: true });
  const description = await harness.client.workflow.getHandle(handle.workflowId).describe();
  expect(description.runId).not.toBe(handle.firstExecutionRunId);
}, 60_000);

test('without canMaxHistoryLength the same workflow stays in one run', async () => {
  const plan = compileYaml(`${header('no-can-limit')}do:\n${waits(6)}  - done:\n      set: { done: true }\n`, 'no-can-limit.yaml');
  const handle = await harness.start(plan, {});
  expect(await handle.result()).toEqual({ done: true });
  const description = await harness.client.workflow.getHandle(handle.workflowId).describe();
  expect(description.runId).toBe(handle.firstExecutionRunId);
}, 60_000);

/** A call that takes 3 s under a 1 s heartbeat timeout: it lives only if it heartbeats often enough. */
const slowCall = (name: string, heartbeat: string) => `${header(name, '  metadata:\n    activityOptions:\n      heartbeatTimeout: 1s\n      retryPolicy:\n        maximumAttempts: 1\n')}do:
  - slow:
${heartbeat}      call: http
      with:
        method: get
        endpoint: ${http.baseUrl}/slow?ms=3000
`;

test('metadata.heartbeat makes the activity heartbeat at that interval, which the request carries', async () => {
  const plan = compileYaml(slowCall('heartbeat-often', '      metadata:\n        heartbeat: 200ms\n'), 'heartbeat-often.yaml');
  const handle = await harness.start(plan, {});
  expect(await handle.result()).toEqual({ slow: true });
  const history = await handle.fetchHistory();
  const scheduled = history.events?.find((event) => event.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
  const request = defaultPayloadConverter.fromPayload<{ heartbeatEveryMs?: number }>(scheduled!.input!.payloads![0]!);
  expect(request.heartbeatEveryMs).toBe(200);
}, 60_000);

test('without metadata.heartbeat the same call misses the 1 s heartbeat timeout', async () => {
  const plan = compileYaml(slowCall('heartbeat-default', ''), 'heartbeat-default.yaml');
  const handle = await harness.start(plan, {});
  const error = await failureOf(handle);
  expect(error.type).toContain('timeout');
}, 60_000);

const tagging = (name: string, attributes: string) => `${header(name)}do:
  - tag:
      metadata:
        searchAttributes:
${attributes}      set:
        tagged: true
`;

test('metadata.searchAttributes upserts typed attributes the cluster shows', async () => {
  const attributes = `          BatonTestKeyword:\n            type: keyword\n            value: \${ $input.customer }\n          BatonTestInt:\n            type: int\n            value: "7"\n          BatonTestDatetime:\n            type: datetime\n            value: "2026-01-02T03:04:05Z"\n`;
  const plan = compileYaml(tagging('search-attributes', attributes), 'search-attributes.yaml');
  const handle = await harness.start(plan, { customer: 'acme' });
  expect(await handle.result()).toEqual({ tagged: true });
  const typed = (await handle.describe()).typedSearchAttributes;
  expect(typed.get({ name: 'BatonTestKeyword', type: 'KEYWORD' })).toBe('acme');
  expect(typed.get({ name: 'BatonTestInt', type: 'INT' })).toBe(7);
  expect(typed.get({ name: 'BatonTestDatetime', type: 'DATETIME' })?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
}, 60_000);

test('an attribute the cluster does not know fails the task with a configuration error', async () => {
  const plan = compileYaml(tagging('unknown-attribute', '          NoSuchAttribute:\n            type: keyword\n            value: x\n'), 'unknown-attribute.yaml');
  const error = await failureOf(await harness.start(plan, {}));
  expect(error).toMatchObject({ type: 'https://zigflow.dev/spec/1.0.0/errors/configuration', title: 'Unknown search attribute', instance: '/do/0/tag' });
  expect(error.detail).toContain('NoSuchAttribute');
}, 60_000);

test('a type other than the registered one, or a computed value of the wrong kind, fails the task', async () => {
  const mismatch = compileYaml(tagging('attribute-type', '          BatonTestInt:\n            type: keyword\n            value: x\n'), 'attribute-type.yaml');
  expect(await failureOf(await harness.start(mismatch, {}))).toMatchObject({ title: 'Search attribute type mismatch' });
  const computed = compileYaml(tagging('attribute-value', '          BatonTestInt:\n            type: int\n            value: \${ $input.count }\n'), 'attribute-value.yaml');
  expect(await failureOf(await harness.start(computed, { count: 'lots' }))).toMatchObject({
    type: 'https://zigflow.dev/spec/1.0.0/errors/expression',
    title: 'Invalid search attribute value',
  });
}, 60_000);
