/**
 * Two runner processes (own gRPC ports, same Temporal, same task queue, same token key), as behind
 * a load balancer: any replica gives the same answers and can change any execution; a replica
 * SIGKILLed mid-way loses nothing; concurrent starts of one id make one execution; a cancel or a
 * pause racing the end gives the caller exactly one outcome, the one the execution ended with.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { Subprocess } from 'bun';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { CallbackDelivery, ExecutionPhase } from '@baton/proto';
import type { Execution } from '@baton/proto';
import { CANCELLED_FAILURE_TYPE } from '../../src/contract/index.ts';
import { encodeTokenKey, generateTokenKey } from '../../src/token/seal.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { callerWorkflow } from './support/caller-workflows.ts';
import type { CallerArgs } from './support/caller-workflows.ts';
import { startCallerSide } from './support/caller.ts';
import type { CallerSide } from './support/caller.ts';
import { connectRunner } from './support/grpc-client.ts';
import type { RunnerClient } from './support/grpc-client.ts';
import { eventually, uniqueName } from './support/stack.ts';
import { slow } from './support/workflows.ts';

setDefaultTimeout(120_000);

const tokenKey = encodeTokenKey(generateTokenKey());
const taskQueue = uniqueName('replicas');

interface Replica {
  readonly process: Subprocess<'ignore', 'pipe', 'inherit'>;
  readonly client: RunnerClient;
}

const replicas: Replica[] = [];

async function startReplica(): Promise<Replica> {
  const child = Bun.spawn(['bun', new URL('./support/runner-process.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporal().address,
      TEMPORAL_NAMESPACE: testTemporal().namespace,
      BATON_GRPC_ADDRESS: '127.0.0.1:0',
      BATON_TASK_QUEUE: taskQueue,
      BATON_TOKEN_KEY: tokenKey,
      BATON_HEARTBEAT_INTERVAL: '500ms',
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const reader = child.stdout.getReader();
  let seen = '';
  while (!/ready \S+\n/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`runner process exited before it was ready (code ${await child.exited})`);
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const address = /ready (\S+)\n/.exec(seen)![1]!;
  const replica = { process: child, client: connectRunner(address) };
  replicas.push(replica);
  return replica;
}

let a: Replica;
let b: Replica;
let caller: CallerSide;
/** The replica the caller's activity hands over to; a test may switch it (a load balancer's choice). */
let handOverTo: () => RunnerClient;
/** Which replica each executeAsync of the caller's activity went to, in order, per execution id. */
const routed = new Map<string, RunnerClient[]>();

beforeAll(async () => {
  [a, b] = await Promise.all([startReplica(), startReplica()]);
  handOverTo = () => a.client;
  const viaCurrent = new Proxy({} as RunnerClient, {
    get: (_target, key: keyof RunnerClient) => {
      const replica = handOverTo();
      if (key !== 'executeAsync') return replica[key];
      return (request: Parameters<RunnerClient['executeAsync']>[0]) => {
        const id = request.workflowExecutionId ?? '';
        routed.set(id, [...(routed.get(id) ?? []), replica]);
        return replica.executeAsync(request);
      };
    },
  });
  caller = await startCallerSide({ address: testTemporal().address, namespace: testTemporal().namespace, runner: viaCurrent, taskQueue: uniqueName('caller') });
});
afterAll(async () => {
  await caller?.stop();
  for (const replica of replicas) {
    replica.client.close();
    replica.process.kill('SIGKILL');
  }
});

function startCaller(args: Omit<CallerArgs, 'startToCloseMs' | 'maximumAttempts'> & Partial<CallerArgs>): Promise<WorkflowHandle> {
  return caller.client.workflow.start(callerWorkflow, {
    taskQueue: caller.taskQueue,
    workflowId: uniqueName('caller-wf'),
    args: [{ startToCloseMs: 60_000, maximumAttempts: 1, ...args }],
  });
}

/** What a replica says, without the parts that legitimately differ between two reads in a row. */
function comparable(execution: Execution): unknown {
  return { ...execution, tasks: execution.tasks.map((task) => ({ ...task })) };
}

async function phaseOn(replica: Replica, id: string, phase: ExecutionPhase): Promise<Execution | undefined> {
  return eventually(
    () => replica.client.getExecution(id).catch(() => undefined),
    (execution) => execution?.phase === phase,
  );
}

async function outcomeOf(handle: WorkflowHandle): Promise<{ kind: 'completed'; value: unknown } | { kind: 'failed'; failure: ApplicationFailure }> {
  try {
    return { kind: 'completed', value: await handle.result() };
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause?.cause;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    return { kind: 'failed', failure: failure as ApplicationFailure };
  }
}

async function completionsIn(handle: WorkflowHandle): Promise<{ attempts: number[]; completed: number; failed: number }> {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    attempts: events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 0] : [])),
    completed: events.filter((e) => e.activityTaskCompletedEventAttributes).length,
    failed: events.filter((e) => e.activityTaskFailedEventAttributes).length,
  };
}

describe('any replica answers for any execution', () => {
  test('started on A: read, watched, paused, resumed and cancelled through B, with the same answers on A', async () => {
    const id = uniqueName('shared');
    const handle = await startCaller({ executionId: id, yaml: slow(1_500), input: { name: 'Bo' } });
    expect((await phaseOn(b, id, ExecutionPhase.EXECUTION_IN_PROGRESS))?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

    await b.client.pauseExecution({ executionId: id, reason: 'hold' });
    const pausedOnA = await phaseOn(a, id, ExecutionPhase.EXECUTION_PAUSED);
    expect(pausedOnA?.phase).toBe(ExecutionPhase.EXECUTION_PAUSED);
    expect(comparable(await b.client.getExecution(id))).toEqual(comparable(await a.client.getExecution(id)));

    await a.client.resumeExecution({ executionId: id });
    await b.client.pauseExecution({ executionId: id });
    await phaseOn(a, id, ExecutionPhase.EXECUTION_PAUSED);
    await b.client.cancelExecution({ executionId: id, reason: 'through B' });

    const outcome = await outcomeOf(handle);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') {
      expect(outcome.failure.type).toBe(CANCELLED_FAILURE_TYPE);
      expect(outcome.failure.message).toContain('through B');
    }
    // A closed execution's status query needs a worker to replay it; on a loaded machine one read
    // may fall back to Temporal's coarser view, so each replica is asked until it has the full one.
    const full = (replica: Replica) =>
      eventually(() => replica.client.getExecution(id), (e) => e.tasks.length > 0 && e.callback?.delivery === CallbackDelivery.CALLBACK_COMPLETED);
    const [watchedOnB, onA, onB] = await Promise.all([b.client.watch(id), full(a), full(b)]);
    expect(onA.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
    expect(onA.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
    expect(comparable(onB)).toEqual(comparable(onA));
    expect(watchedOnB.at(-1)?.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);

    // Ended: every change is refused the same way on both.
    for (const replica of [a, b]) {
      const refused = (await replica.client.pauseExecution({ executionId: id }).catch((e: ServiceError) => e)) as ServiceError;
      expect(refused.code).toBe(GrpcStatus.FAILED_PRECONDITION);
      expect(refused.details).toContain('CANCELLED');
    }
    expect(await completionsIn(handle)).toMatchObject({ attempts: [1], completed: 0, failed: 1 });
  });

  test('100 concurrent executeAsync with one id, spread over both replicas: one execution', async () => {
    const id = uniqueName('herd');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).client.executeAsync({ workflowExecutionId: id, workflowYaml: slow(500) })),
    );
    expect(answers.filter((answer) => answer.message === 'started')).toHaveLength(1);
    for (const answer of answers) expect(answer.workflowExecutionId).toBe(id);
    const done = await eventually(() => a.client.getExecution(id), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED);
    expect(done.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  });
});

describe('a replica dies', () => {
  test('SIGKILL of A with parked callers: B finishes the executions, each caller completed exactly once', async () => {
    const ids = [0, 1, 2].map(() => uniqueName('orphan'));
    const handles = await Promise.all(ids.map((id, i) => startCaller({ executionId: id, yaml: slow(3_000), input: { name: `n${i}` } })));
    for (const id of ids) expect((await phaseOn(b, id, ExecutionPhase.EXECUTION_IN_PROGRESS))?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

    a.process.kill('SIGKILL');
    expect(await a.process.exited).not.toBe(0);
    handOverTo = () => b.client;
    try {
      const results = await Promise.all(handles.map((handle) => handle.result()));
      expect(results).toEqual([0, 1, 2].map((i) => ({ done: true, name: `n${i}` })));
      for (const handle of handles) expect(await completionsIn(handle)).toEqual({ attempts: [1], completed: 1, failed: 0 });
      for (const id of ids) expect((await b.client.getExecution(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
      for (const id of ids) expect(caller.handOvers.filter((h) => h.executionId === id)).toHaveLength(1);
    } finally {
      // The replacement replica, so later tests still have two.
      a = await startReplica();
      handOverTo = () => a.client;
    }
  });

  test('SIGKILL of A, then each caller retries and re-targets its callback through B: each caller completed exactly once, on its retry', async () => {
    const ids = [0, 1, 2].map(() => uniqueName('retarget-orphan'));
    // Attempt 1 hands over through A and times out at 12 s, well after A died, so its retry finds
    // the executions on B (Temporal stops routing to a dead worker's sticky queue after ~10 s).
    // The executions end at about 15 s, inside attempt 2's window: only the retry's token can be
    // the one completed.
    const handles = await Promise.all(
      ids.map((id, i) => startCaller({ executionId: id, yaml: slow(15_000), input: { name: `r${i}` }, startToCloseMs: 12_000, maximumAttempts: 2 })),
    );
    for (const id of ids) expect((await phaseOn(b, id, ExecutionPhase.EXECUTION_IN_PROGRESS))?.phase).toBe(ExecutionPhase.EXECUTION_IN_PROGRESS);

    a.process.kill('SIGKILL');
    expect(await a.process.exited).not.toBe(0);
    const killedA = a.client;
    handOverTo = () => b.client;
    try {
      const results = await Promise.all(handles.map((handle) => handle.result()));
      expect(results).toEqual([0, 1, 2].map((i) => ({ done: true, name: `r${i}` })));
      for (const id of ids) {
        const handOvers = caller.handOvers.filter((h) => h.executionId === id);
        expect(handOvers.map((h) => h.attempt)).toEqual([1, 2]);
        expect(routed.get(id)?.map((replica) => (replica === killedA ? 'A' : replica === b.client ? 'B' : 'other'))).toEqual(['A', 'B']);
        expect(handOvers[0]?.response.message).toBe('started');
        expect(handOvers[1]?.response.message).toContain('newest callback token');
        expect((await b.client.getExecution(id)).callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
      }
      // Temporal records only the last attempt's start: the one completion is the retry's.
      for (const handle of handles) expect(await completionsIn(handle)).toEqual({ attempts: [2], completed: 1, failed: 0 });
    } finally {
      a = await startReplica();
      handOverTo = () => a.client;
    }
  });
});

describe('a change racing the end', () => {
  test('cancel racing completion: the caller sees exactly one outcome, the one the execution ended with', async () => {
    const seen = new Set<string>();
    for (const [i, delayMs] of [150, 300, 450, 600, 900, 1_200, 1_600, 2_000].entries()) {
      const id = uniqueName('race');
      const handle = await startCaller({ executionId: id, yaml: slow(300), input: { name: 'race' } });
      await eventually(
        () => b.client.getExecution(id).catch(() => undefined),
        (e) => e !== undefined,
      );
      await Bun.sleep(delayMs);
      const cancel = (i % 2 === 0 ? a : b).client.cancelExecution({ executionId: id, reason: 'race' }).then(
        () => 'accepted',
        (e: ServiceError) => (e.code === GrpcStatus.FAILED_PRECONDITION ? 'refused' : `error ${e.code}`),
      );
      const [outcome, answer] = await Promise.all([outcomeOf(handle), cancel]);
      const final = await eventually(
        () => b.client.getExecution(id),
        (e) => e.callback?.delivery !== CallbackDelivery.CALLBACK_PENDING,
      );
      if (final.phase === ExecutionPhase.EXECUTION_COMPLETED) {
        expect(outcome).toEqual({ kind: 'completed', value: { done: true, name: 'race' } });
        expect(answer).toBe('refused');
      } else {
        expect(final.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
        expect(outcome.kind).toBe('failed');
        if (outcome.kind === 'failed') expect(outcome.failure.type).toBe(CANCELLED_FAILURE_TYPE);
        expect(answer).toBe('accepted');
      }
      expect((await completionsIn(handle)).completed + (await completionsIn(handle)).failed).toBe(1);
      seen.add(final.phase === ExecutionPhase.EXECUTION_COMPLETED ? 'completed' : 'cancelled');
    }
    // Informational: which sides of the race this run hit (both are checked above whenever hit).
    console.info(`cancel race outcomes seen: ${[...seen].join(', ')}`);
  });

  test('pause racing completion: the caller sees exactly one outcome, the one the execution ended with', async () => {
    const seen = new Set<string>();
    for (const [i, delayMs] of [150, 300, 450, 600, 900, 1_200, 1_600, 2_000].entries()) {
      const id = uniqueName('pause-race');
      const handle = await startCaller({ executionId: id, yaml: slow(300), input: { name: 'race' } });
      await eventually(
        () => b.client.getExecution(id).catch(() => undefined),
        (e) => e !== undefined,
      );
      await Bun.sleep(delayMs);
      const answer = await (i % 2 === 0 ? a : b).client.pauseExecution({ executionId: id, reason: 'race' }).then(
        () => 'accepted',
        (e: ServiceError) => (e.code === GrpcStatus.FAILED_PRECONDITION ? 'refused' : `error ${e.code}`),
      );
      expect(answer === 'accepted' || answer === 'refused').toBe(true);
      // A pause accepted while the last task ran lets the execution complete; one accepted before
      // a task starts holds it there, and then the caller must not have an outcome yet.
      const settled = await eventually(
        () => b.client.getExecution(id),
        (e) => e.phase === ExecutionPhase.EXECUTION_PAUSED || e.callback?.delivery !== CallbackDelivery.CALLBACK_PENDING,
      );
      let side = 'completed';
      if (settled.phase === ExecutionPhase.EXECUTION_PAUSED) {
        expect(answer).toBe('accepted');
        expect((await handle.describe()).status.name).toBe('RUNNING');
        expect(await completionsIn(handle)).toMatchObject({ completed: 0, failed: 0 });
        // Half the held executions are resumed, half cancelled, each through the other replica.
        side = i % 2 === 0 ? 'paused, resumed' : 'paused, cancelled';
        if (i % 2 === 0) await b.client.resumeExecution({ executionId: id });
        else await a.client.cancelExecution({ executionId: id, reason: 'held' });
      } else if (answer === 'refused') {
        side = 'refused';
      }
      const outcome = await outcomeOf(handle);
      const final = await eventually(
        () => b.client.getExecution(id),
        (e) => e.callback?.delivery !== CallbackDelivery.CALLBACK_PENDING,
      );
      if (final.phase === ExecutionPhase.EXECUTION_COMPLETED) {
        expect(side).not.toBe('paused, cancelled');
        expect(outcome).toEqual({ kind: 'completed', value: { done: true, name: 'race' } });
      } else {
        expect(side).toBe('paused, cancelled');
        expect(final.phase).toBe(ExecutionPhase.EXECUTION_CANCELLED);
        expect(outcome.kind).toBe('failed');
        if (outcome.kind === 'failed') expect(outcome.failure.type).toBe(CANCELLED_FAILURE_TYPE);
      }
      expect(final.callback?.delivery).toBe(CallbackDelivery.CALLBACK_COMPLETED);
      const completions = await completionsIn(handle);
      expect(completions.completed + completions.failed).toBe(1);
      seen.add(side);
    }
    // Informational: which sides of the race this run hit (each is checked above whenever hit).
    console.info(`pause race outcomes seen: ${[...seen].join('; ')}`);
  });
});
