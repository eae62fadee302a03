/**
 * Baton's search attributes on the harness's dev server (registered as `bun run local` registers
 * them): set at the start, kept current by the workflow through pause and the callback's end,
 * queried with the Temporal CLI's own `workflow list --query`, and by `baton list`.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { ExecutionPhase } from '@baton/proto';
import { testTemporal } from '../../../test/temporal-env.ts';
import { visibilityQuery } from '../../src/cli/commands/list.ts';
import { findTemporalCli } from '../../src/temporal/cli.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerArgs } from './support/caller-workflows.ts';
import type { CallerSide } from './support/caller.ts';
import { eventually, startCaller, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { slow } from './support/workflows.ts';

setDefaultTimeout(90_000);

let stack: Stack;
let caller: CallerSide;
let temporalCli: string;

beforeAll(async () => {
  stack = await startStack();
  caller = await startCaller(stack);
  temporalCli = await findTemporalCli();
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

/** The ids `temporal workflow list --query` finds, exactly as an operator would type it. */
async function temporalList(query: string): Promise<string[]> {
  const child = Bun.spawn([temporalCli, 'workflow', 'list', '--address', testTemporal().address, '--namespace', testTemporal().namespace, '--query', query, '--output', 'json'], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = [await new Response(child.stdout).text(), await new Response(child.stderr).text(), await child.exited];
  if (code !== 0) throw new Error(`temporal workflow list failed (${code}): ${err}`);
  const parsed: unknown = out.trim() === '' ? [] : JSON.parse(out);
  const rows = Array.isArray(parsed) ? parsed : [];
  return rows.map((row: { execution?: { workflowId?: string } }) => row.execution?.workflowId ?? '');
}

async function untilListed(query: string, id: string): Promise<string[]> {
  return eventually(() => temporalList(`${query} AND WorkflowId = '${id}'`), (ids) => ids.includes(id));
}

async function baton(args: readonly string[]): Promise<{ code: number; out: string }> {
  const child = Bun.spawn(['bun', new URL('../../src/cli/main.ts', import.meta.url).pathname, ...args], {
    env: { ...process.env, TEMPORAL_ADDRESS: testTemporal().address, TEMPORAL_NAMESPACE: testTemporal().namespace },
    stdout: 'pipe',
    stderr: 'inherit',
  });
  return { out: await new Response(child.stdout).text(), code: await child.exited };
}

test('phase, callback state and document follow the execution; the Temporal CLI and `baton list` find it by them', async () => {
  const id = uniqueName('searchable');
  const handle = await startCallerWorkflow({ executionId: id, yaml: slow(1_500), input: { name: 'Sa' } });
  expect(await untilListed("BatonCallbackState = 'PENDING' AND BatonPhase = 'IN_PROGRESS'", id)).toEqual([id]);
  expect(await untilListed("BatonDocument = 'test/slow' AND BatonDocumentVersion = '1.0.0'", id)).toEqual([id]);

  await stack.client.pauseExecution({ executionId: id, reason: 'look at it' });
  expect(await untilListed("BatonPhase = 'PAUSED'", id)).toEqual([id]);
  await stack.client.resumeExecution({ executionId: id });
  expect(await handle.result()).toEqual({ done: true, name: 'Sa' });
  expect(await untilListed("BatonPhase = 'COMPLETED' AND BatonCallbackState = 'COMPLETED'", id)).toEqual([id]);
  expect(await temporalList(`BatonCallbackState = 'PENDING' AND WorkflowId = '${id}'`)).toEqual([]);

  const listed = await baton(['list', '--callback', 'completed', '--document', 'test/slow', '--limit', '1000', '--json']);
  expect(listed.code).toBe(0);
  const rows = JSON.parse(listed.out) as { executionId: string; phase: string; callbackState: string; document: string; documentVersion: string }[];
  expect(rows.find((row) => row.executionId === id)).toMatchObject({ phase: 'COMPLETED', callbackState: 'COMPLETED', document: 'test/slow', documentVersion: '1.0.0' });
  expect(rows.every((row) => row.callbackState === 'COMPLETED')).toBe(true);
});

test("a caller that gave up leaves the callback LOST in visibility, the execution's own result intact", async () => {
  const id = uniqueName('searchable-lost');
  const handle = await startCallerWorkflow({ executionId: id, yaml: slow(3_000), startToCloseMs: 1_500 });
  await handle.result().catch(() => undefined);
  expect(await untilListed("BatonCallbackState = 'LOST' AND BatonPhase = 'COMPLETED'", id)).toEqual([id]);
  expect((await stack.client.getExecution(id)).phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
});

test('`baton list --show-query` prints the query for the Temporal CLI; values outside the closed sets are refused', async () => {
  expect(visibilityQuery({ callback: 'pending' })).toBe("WorkflowType = 'batonInterpreter' AND BatonCallbackState = 'PENDING'");
  const shown = await baton(['list', '--phase', 'failed', '--document', 'billing/invoice', '--show-query']);
  expect(shown).toEqual({ code: 0, out: "WorkflowType = 'batonInterpreter' AND BatonPhase = 'FAILED' AND BatonDocument = 'billing/invoice'\n" });
  expect((await baton(['list', '--callback', "x' OR 1=1"])).code).toBe(2);
  expect((await baton(['list', '--document', "a/b' OR 'x"])).code).toBe(2);
});
