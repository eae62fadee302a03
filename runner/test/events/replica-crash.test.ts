/**
 * Exactly once across a replica's death: two runner processes (own gRPC and HTTP ports, the same
 * Temporal and task queue). Executions wait in `listen`; events are published to replica A, which
 * holds the router workflow, and A is SIGKILLed as soon as its last publish is acknowledged, while
 * the router still has those events to deliver. Replica B takes the router and the executions over:
 * each execution receives each event in exactly one delivery signal and ends with every round, in
 * order. No clocks: every step waits on a condition.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { Metadata } from '@grpc/grpc-js';
import type { Subprocess } from 'bun';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { CloudEventBatch, PublishEventsResponse } from '@baton/proto';
import { eventRouterQuery, eventRouterWorkflowId } from '../../src/contract/index.ts';
import type { EventDelivery, EventRouterSnapshot } from '../../src/contract/index.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { connectRunner } from '../service/support/grpc-client.ts';
import type { RunnerClient } from '../service/support/grpc-client.ts';
import { eventually, uniqueName } from '../service/support/stack.ts';
import { document } from './support.ts';

setDefaultTimeout(240_000);

const taskQueue = uniqueName('events-crash');
const LISTENERS = 8;
/** Rounds published to A before it dies, then to B; each round is one event per listener. */
const ROUNDS_ON_A = 3;
const ROUNDS = 6;

interface Replica {
  readonly process: Subprocess<'ignore', 'pipe', 'inherit'>;
  readonly client: RunnerClient;
  /** The Temporal worker identity the SDK gives this process (`pid@host`). */
  readonly pid: number;
}

const replicas: Replica[] = [];
let temporalClient: Client;

async function startReplica(): Promise<Replica> {
  const child = Bun.spawn(['bun', new URL('../service/support/runner-process.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporal().address,
      TEMPORAL_NAMESPACE: testTemporal().namespace,
      BATON_GRPC_ADDRESS: '127.0.0.1:0',
      BATON_HTTP_ADDRESS: '127.0.0.1:0',
      BATON_TASK_QUEUE: taskQueue,
      BATON_LOG_LEVEL: 'error',
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
  const replica = { process: child, client: connectRunner(/ready (\S+)\n/.exec(seen)![1]!), pid: child.pid };
  replicas.push(replica);
  return replica;
}

beforeAll(async () => {
  temporalClient = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
});
afterAll(async () => {
  for (const replica of replicas) {
    replica.client.close();
    replica.process.kill('SIGKILL');
  }
  await temporalClient.connection.close();
});

function publish(replica: Replica, round: number, keys: readonly string[]): Promise<PublishEventsResponse> {
  const batch: CloudEventBatch = {
    events: keys.map((key) => ({
      id: `${key}-round-${round}`,
      source: '/tests/crash',
      specVersion: '1.0',
      type: 'crash.tick',
      attributes: { subject: { ceString: key }, datacontenttype: { ceString: 'application/json' } },
      textData: JSON.stringify({ round }),
    })),
  };
  return new Promise((resolve, reject) => replica.client.raw.publishEvents(batch, new Metadata(), (error, response) => (error ? reject(error) : resolve(response))));
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Every event id in the delivery signals an execution received, one entry per delivery. */
function deliveredIds(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    const signalled = event.workflowExecutionSignaledEventAttributes;
    if (signalled?.signalName !== 'batonDeliverEvent') return [];
    const delivery = defaultPayloadConverter.fromPayload<EventDelivery>(signalled.input!.payloads![0]!);
    return delivery.kind === 'events' ? delivery.items.map((item) => item.event.id) : [];
  });
}

/** Event ids whose delivery the router commanded in a workflow task completed by `identity`'s worker. */
function deliveriesCompletedBy(events: readonly HistoryEvent[], identityPrefix: string): string[] {
  const completedBy = new Map<string, string>();
  for (const event of events) {
    if (event.workflowTaskCompletedEventAttributes) completedBy.set(String(event.eventId), event.workflowTaskCompletedEventAttributes.identity ?? '');
  }
  return events.flatMap((event) => {
    const initiated = event.signalExternalWorkflowExecutionInitiatedEventAttributes;
    if (!initiated || !completedBy.get(String(initiated.workflowTaskCompletedEventId))?.startsWith(identityPrefix)) return [];
    const delivery = defaultPayloadConverter.fromPayload<EventDelivery>(initiated.input!.payloads![0]!);
    return delivery.kind === 'events' ? delivery.items.map((item) => item.event.id) : [];
  });
}

test('SIGKILL of the replica routing a batch: every waiting execution gets each event exactly once, through the other replica', async () => {
  const a = await startReplica();
  const router = temporalClient.workflow.getHandle(eventRouterWorkflowId(taskQueue));
  const routerState = () => router.query(eventRouterQuery).catch((): EventRouterSnapshot | undefined => undefined);

  // Only A polls while the executions subscribe, so the router and the executions live on A's
  // worker (its sticky cache): A is the one routing when the events come.
  const keys = Array.from({ length: LISTENERS }, (_, i) => uniqueName(`crash-${i}`));
  const yaml = document(
    'crash',
    `  - wait:\n      listen:\n        to:\n          any:\n            - with: { type: crash.tick, subject: '\${ .key }' }\n          until: '\${ length >= ${ROUNDS} }'`,
  );
  for (const key of keys) await a.client.executeAsync({ workflowExecutionId: key, workflowYaml: yaml, input: { key } });
  const subscribed = await eventually(routerState, (state) => state?.subscriptions === LISTENERS, 120_000);
  expect(subscribed?.subscriptions).toBe(LISTENERS);

  const b = await startReplica();
  // A's rounds go out one after the other (so their order is defined); A dies the moment the last
  // is acknowledged (recorded in the router's history), before its worker can have delivered it.
  const answers: PublishEventsResponse[] = [];
  for (let round = 0; round < ROUNDS_ON_A; round++) answers.push(await publish(a, round, keys));
  a.process.kill('SIGKILL');
  expect(answers.map((answer) => answer.accepted)).toEqual(Array(ROUNDS_ON_A).fill(LISTENERS));
  expect(await a.process.exited).not.toBe(0);

  for (let round = ROUNDS_ON_A; round < ROUNDS; round++) expect((await publish(b, round, keys)).accepted).toBe(LISTENERS);

  const expected = Array.from({ length: ROUNDS }, (_, round) => ({ round }));
  const outputs = await Promise.all(keys.map((key) => temporalClient.workflow.getHandle(key).result()));
  for (const output of outputs) expect(output).toEqual(expected);

  // Exactly once at the router, not only thanks to the listener's own de-duplication: each event
  // is in exactly one delivery signal of its execution.
  for (const key of keys) {
    const history = (await temporalClient.workflow.getHandle(key).fetchHistory()).events ?? [];
    expect(deliveredIds(history).sort()).toEqual(Array.from({ length: ROUNDS }, (_, round) => `${key}-round-${round}`).sort());
  }
  // And the kill did land mid-delivery: some of the events A acknowledged were delivered by
  // B's worker, after A was gone.
  const routerHistory = (await router.fetchHistory()).events ?? [];
  const onA = new Set(Array.from({ length: ROUNDS_ON_A }, (_, round) => keys.map((key) => `${key}-round-${round}`)).flat());
  expect(deliveriesCompletedBy(routerHistory, `${b.pid}@`).filter((id) => onA.has(id)).length).toBeGreaterThan(0);
});
