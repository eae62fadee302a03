/**
 * Zigflow's metadata with effects beyond a workflow's output, checked on the real dev server:
 * `canMaxHistoryLength` continues as new.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { compileYaml, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('zigflow-metadata');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
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
