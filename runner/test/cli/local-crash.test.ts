/**
 * Local mode killed outright (SIGKILL of `bun run local` and of its dev server, as a power cut or
 * `kill -9` would) while executions wait with parked callers, then started again on the same data
 * folder: every execution finishes and every caller's activity is completed exactly once.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallbackDelivery, ExecutionPhase } from '@baton/proto';
import { freePort } from '../../src/temporal/dev-server.ts';
import { callerWorkflow } from '../service/support/caller-workflows.ts';
import { startCallerSide } from '../service/support/caller.ts';
import type { CallerSide } from '../service/support/caller.ts';
import { connectRunner } from '../service/support/grpc-client.ts';
import type { RunnerClient } from '../service/support/grpc-client.ts';
import { eventually, uniqueName } from '../service/support/stack.ts';
import { slow } from '../service/support/workflows.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'baton-local-crash-'));
const stacks: LocalStack[] = [];
const closers: (() => unknown)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const stack of stacks) if (stack.process.exitCode === null) await stack.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function startEmbedded(devServerPort: number, uiPort: number): Promise<LocalStack> {
  const stack = await startLocalStack({
    args: ['--data-dir', dataDir, '--dev-server-port', String(devServerPort), '--ui-port', String(uiPort)],
    env: { TEMPORAL_ADDRESS: undefined, TEMPORAL_NAMESPACE: undefined },
  });
  stacks.push(stack);
  return stack;
}

/** Every process whose command line names the data folder: local mode, the watchdog, the dev server. */
async function processesUsing(dir: string): Promise<number[]> {
  const listed = await Bun.$`pgrep -f -- ${dir}`.nothrow().quiet().text();
  return listed.split('\n').filter(Boolean).map(Number);
}

async function callerOn(devServerPort: number, runner: RunnerClient, taskQueue: string): Promise<CallerSide> {
  const side = await startCallerSide({ address: `127.0.0.1:${devServerPort}`, namespace: 'default', runner, taskQueue });
  // Stopped in the test too; a second stop has nothing left to do.
  closers.push(() => side.stop().catch(() => undefined));
  return side;
}

test('SIGKILL of local mode and its dev server with parked callers: after a restart every execution finishes, every callback once', async () => {
  const [devServerPort, uiPort] = [await freePort(), await freePort()];
  const first = await startEmbedded(devServerPort, uiPort);
  const firstRunner = connectRunner(first.grpcAddress);
  closers.push(() => firstRunner.close());
  const taskQueue = uniqueName('local-caller');
  const firstCaller = await callerOn(devServerPort, firstRunner, taskQueue);

  const ids = [0, 1, 2].map(() => uniqueName('local-crash'));
  const callerIds = await Promise.all(
    ids.map(async (executionId, i) => {
      const workflowId = uniqueName('local-caller-wf');
      await firstCaller.client.workflow.start(callerWorkflow, {
        taskQueue,
        workflowId,
        args: [{ executionId, yaml: slow(4_000), input: { name: `n${i}` }, startToCloseMs: 120_000, maximumAttempts: 1 }],
      });
      return workflowId;
    }),
  );
  for (const id of ids) {
    const waiting = await eventually(
      () => firstRunner.getExecution(id).catch(() => undefined),
      (execution) => execution?.phase === ExecutionPhase.EXECUTION_IN_PROGRESS,
    );
    expect(waiting?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);
  }
  expect(firstCaller.handOvers.map((handOver) => handOver.executionId).sort()).toEqual([...ids].sort());

  // The caller's activities are parked; nothing in this process holds them. Kill everything at once.
  await firstCaller.stop();
  const victims = await processesUsing(dataDir);
  expect(victims).toContain(first.process.pid);
  expect(victims.length).toBeGreaterThanOrEqual(3);
  for (const pid of victims) process.kill(pid, 'SIGKILL');
  expect(await first.process.exited).not.toBe(0);
  expect(await eventually(() => processesUsing(dataDir), (left) => left.length === 0)).toEqual([]);

  const restarted = await startEmbedded(devServerPort, uiPort);
  const runner = connectRunner(restarted.grpcAddress);
  closers.push(() => runner.close());
  const secondCaller = await callerOn(devServerPort, runner, taskQueue);
  const handles = callerIds.map((workflowId) => secondCaller.client.workflow.getHandle(workflowId));

  const results = await Promise.all(handles.map((handle) => handle.result()));
  expect(results).toEqual([0, 1, 2].map((i) => ({ done: true, name: `n${i}` })));
  for (const handle of handles) {
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => event.activityTaskStartedEventAttributes).map((event) => event.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
    expect(events.filter((event) => event.activityTaskCompletedEventAttributes)).toHaveLength(1);
    expect(events.filter((event) => event.activityTaskFailedEventAttributes || event.activityTaskTimedOutEventAttributes)).toHaveLength(0);
  }
  for (const id of ids) {
    const done = await eventually(() => runner.getExecution(id), (execution) => execution.callback?.delivery === CallbackDelivery.CALLBACK_COMPLETED);
    expect(done.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
    expect(done.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
  }
  // Nobody handed over again: the restarted runner delivered what the first one was given.
  expect(secondCaller.handOvers).toEqual([]);
  expect(await restarted.stop('SIGTERM')).toBe(0);
}, 120_000);
