/**
 * The runner's worker is SIGKILLed mid-execution and a new one started: the execution finishes
 * and the caller's activity is completed exactly once (no retry, one completion in its history).
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Subprocess } from 'bun';
import { CallbackDelivery, ExecutionPhase } from '@baton/proto';
import { freePort } from '../../src/temporal/dev-server.ts';
import { encodeTokenKey, generateTokenKey } from '../../src/token/seal.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerSide } from './support/caller.ts';
import { eventually, startCaller, startStack, uniqueName } from './support/stack.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import type { Stack } from './support/stack.ts';
import { slow } from './support/workflows.ts';

setDefaultTimeout(90_000);

const tokenKey = generateTokenKey();
let stack: Stack;
let caller: CallerSide;
const workers: Subprocess[] = [];

/** Starts a worker process on the stack's task queue and waits until it polls. */
async function startWorkerProcess(metricsAddress = ''): Promise<Subprocess<'ignore', 'pipe', 'inherit'>> {
  const child = Bun.spawn(['bun', new URL('./support/worker-process.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporal().address,
      TEMPORAL_NAMESPACE: testTemporal().namespace,
      BATON_TASK_QUEUE: stack.config.taskQueue,
      BATON_TOKEN_KEY: encodeTokenKey(tokenKey),
      BATON_HEARTBEAT_INTERVAL: '500ms',
      BATON_METRICS_ADDRESS: metricsAddress,
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
  });
  workers.push(child);
  const reader = child.stdout.getReader();
  let seen = '';
  while (!seen.includes('ready')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`worker process exited before it was ready (code ${await child.exited})`);
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return child;
}

beforeAll(async () => {
  // This process serves gRPC only; the worker lives in a child process that can be killed.
  stack = await startStack({ tokenKey }, 'service');
  caller = await startCaller(stack);
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await caller?.stop();
  await stack?.stop();
});

test('SIGKILL of the worker mid-execution: the execution finishes, the caller is completed exactly once', async () => {
  const first = await startWorkerProcess();
  const id = uniqueName('crash');
  const handle = await caller.client.workflow.start(callerWorkflow, {
    taskQueue: caller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ executionId: id, yaml: slow(4_000), input: { name: 'Fi' }, startToCloseMs: 120_000, maximumAttempts: 3 }],
  });
  const running = await eventually(
    () => stack.client.getExecution(id).catch(() => undefined),
    (e) => e?.phase === ExecutionPhase.EXECUTION_IN_PROGRESS,
  );
  expect(running?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

  first.kill('SIGKILL');
  expect(await first.exited).not.toBe(0);
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  await startWorkerProcess(metricsAddress);

  expect(await handle.result()).toEqual({ done: true, name: 'Fi' });
  const execution = await stack.client.getExecution(id);
  expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  expect(execution.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);

  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  expect(events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
  expect(events.filter((e) => e.activityTaskCompletedEventAttributes)).toHaveLength(1);
  expect(caller.handOvers.filter((h) => h.executionId === id)).toHaveLength(1);

  // The new worker delivered, and says so on its Prometheus endpoint.
  const metrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
  expect(metrics).toMatch(/^baton_external_activity_completions_total\{[^}]*status="completed"[^}]*\} 1$/m);
  expect(metrics).toMatch(/^baton_external_activity_completion_duration_count\{action="complete"[^}]*\} 1$/m);
});
