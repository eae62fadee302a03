/**
 * `bun run bench:events`: publish → resumed latency through Baton's event bus (POST /events, the
 * router workflow, a `listen` task), against a hand-written Temporal workflow waiting for a signal
 * the client sends it directly, on a dev server started here (or TEMPORAL_ADDRESS). Both are timed
 * from the publish (or signal) call to the waiting workflow's result. Also: what the router's
 * history grows by per routed event, and events/s into 100 waiting executions.
 * BENCH_RUNS (default 30) waits each after a warm-up; figures only, no targets.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { defaultConfig } from '../src/config.ts';
import { eventRouterQuery, eventRouterWorkflowId } from '../src/contract/index.ts';
import { startRunner } from '../src/runner.ts';
import { startDevServer } from '../src/temporal/dev-server.ts';
import type { DevServer } from '../src/temporal/dev-server.ts';
import { connectRunner } from '../test/service/support/grpc-client.ts';
import { eventSignal } from './events/signal-wait-workflow.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const FAN_OUT = 100;
Runtime.install({ logger: new DefaultLogger('ERROR') });

let devServer: DevServer | undefined;
let address = process.env.TEMPORAL_ADDRESS;
if (!address) {
  devServer = await startDevServer({ namespace: 'default' });
  address = devServer.address;
}
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const tag = Date.now().toString(36);
const taskQueue = `bench-events-${tag}`;
const runner = await startRunner(
  defaultConfig({ grpcAddress: '127.0.0.1:0', httpAddress: '127.0.0.1:0', temporal: { connection: { address }, namespace }, taskQueue }),
  { log: { info: () => undefined, warn: () => undefined } },
);
const grpc = connectRunner(runner.grpcAddress);
const connection = await Connection.connect({ address });
const temporal = new Client({ connection, namespace });
const baselineQueue = `bench-signal-${tag}`;
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address }),
  namespace,
  taskQueue: baselineQueue,
  workflowsPath: fileURLToPath(new URL('./events/signal-wait-workflow.ts', import.meta.url)),
});
const workerDone = worker.run();
const router = temporal.workflow.getHandle(eventRouterWorkflowId(taskQueue));

const listenYaml = (name: string, until = '') => `document: { dsl: '1.0.3', namespace: bench, name: ${name}, version: '1.0.0' }
do:
  - wait:
      listen:
        to:
          any:
            - with: { type: bench.event, subject: '\${ .key }' }
          ${until || "until: '${ length >= 1 }'"}
`;

function publish(events: Record<string, unknown>[]): Promise<Response> {
  return fetch(`${runner.httpUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify(events.map((event) => ({ specversion: '1.0', id: crypto.randomUUID(), source: '/bench', type: 'bench.event', ...event }))),
  });
}

async function subscriptions(count: number): Promise<void> {
  for (;;) {
    const state = await router.query(eventRouterQuery).catch(() => undefined);
    if (state && state.subscriptions >= count) return;
    await Bun.sleep(5);
  }
}

async function baton(i: number): Promise<number> {
  const id = `bench-listen-${tag}-${i}`;
  await grpc.executeAsync({ workflowExecutionId: id, workflowYaml: listenYaml('one'), input: { key: id } });
  await subscriptions(1);
  const began = performance.now();
  const response = await publish([{ subject: id, data: { i } }]);
  if (response.status !== 202) throw new Error(`publish: ${response.status}`);
  await temporal.workflow.getHandle(id).result();
  const elapsed = performance.now() - began;
  await waitUnsubscribed();
  return elapsed;
}

async function waitUnsubscribed(): Promise<void> {
  for (;;) {
    const state = await router.query(eventRouterQuery);
    if (state.subscriptions === 0) return;
    await Bun.sleep(5);
  }
}

async function handwritten(i: number): Promise<number> {
  const handle = await temporal.workflow.start('handwrittenSignalWait', { taskQueue: baselineQueue, workflowId: `bench-signal-${tag}-${i}` });
  // Wait until its first workflow task ran (the handler is set), as the listen was subscribed.
  for (;;) {
    const history = await handle.fetchHistory();
    if (history.events?.some((event) => event.workflowTaskCompletedEventAttributes)) break;
    await Bun.sleep(5);
  }
  const began = performance.now();
  await handle.signal(eventSignal, { i });
  await handle.result();
  return performance.now() - began;
}

function stats(times: number[]): { median: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]! };
}

// Warm-up: bundles, connections, the router's first start.
for (let i = 0; i < 3; i++) {
  await baton(-1 - i);
  await handwritten(-1 - i);
}
const batonTimes: number[] = [];
const handTimes: number[] = [];
const historyBefore = (await router.query(eventRouterQuery)).historyLength;
const runsBefore = (await router.query(eventRouterQuery)).counters.runs;
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so both see the same machine load.
  batonTimes.push(await baton(i));
  handTimes.push(await handwritten(i));
}
const after = await router.query(eventRouterQuery);
const b = stats(batonTimes);
const h = stats(handTimes);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`publish → resumed (${RUNS} waits each)`);
console.log(`  Baton listen via POST /events + router  median ${fmt(b.median)}  p99 ${fmt(b.p99)}`);
console.log(`  hand-written signal wait                median ${fmt(h.median)}  p99 ${fmt(h.p99)}`);
console.log(`  ratio (Baton / hand-written)            median ${(b.median / h.median).toFixed(2)}×  p99 ${(b.p99 / h.p99).toFixed(2)}×`);
if (after.counters.runs === runsBefore) {
  // Per wait: a subscribe signal, a publish signal, one delivery (2 events), an unsubscribe signal, and their workflow tasks.
  console.log(`router history per wait (subscribe, event, delivery, unsubscribe): ${((after.historyLength - historyBefore) / RUNS).toFixed(1)} events`);
}

// Sustained: FAN_OUT executions each waiting for PER_EXECUTION events of their own key.
const PER_EXECUTION = 10;
const ids = Array.from({ length: FAN_OUT }, (_, i) => `bench-fan-${tag}-${i}`);
const fanYaml = listenYaml('fan', `until: '\${ length >= ${PER_EXECUTION} }'`);
await Promise.all(ids.map((id) => grpc.executeAsync({ workflowExecutionId: id, workflowYaml: fanYaml, input: { key: id } })));
await subscriptions(FAN_OUT);
const began = performance.now();
for (let round = 0; round < PER_EXECUTION; round++) {
  const response = await publish(ids.map((id) => ({ subject: id, data: { round } })));
  if (response.status !== 202) throw new Error(`publish: ${response.status}`);
}
await Promise.all(ids.map((id) => temporal.workflow.getHandle(id).result()));
const seconds = (performance.now() - began) / 1000;
const total = FAN_OUT * PER_EXECUTION;
const handles = await Promise.all(
  ids.map((_, i) => temporal.workflow.start('handwrittenSignalWait', { taskQueue: baselineQueue, workflowId: `bench-fan-signal-${tag}-${i}`, args: [PER_EXECUTION] })),
);
const handBegan = performance.now();
for (let round = 0; round < PER_EXECUTION; round++) await Promise.all(handles.map((handle) => handle.signal(eventSignal, { round })));
await Promise.all(handles.map((handle) => handle.result()));
const handSeconds = (performance.now() - handBegan) / 1000;
console.log(`sustained: ${total} events into ${FAN_OUT} waiting executions (${PER_EXECUTION} each)`);
console.log(`  Baton (POST /events, batches of ${FAN_OUT})        ${seconds.toFixed(2)} s = ${(total / seconds).toFixed(0)} events/s`);
console.log(`  hand-written (client signals, ${FAN_OUT} at a time) ${handSeconds.toFixed(2)} s = ${(total / handSeconds).toFixed(0)} events/s`);
console.log(`  ratio (hand-written / Baton throughput)      ${(seconds / handSeconds).toFixed(2)}×`);

grpc.close();
worker.shutdown();
await workerDone;
await runner.stop();
await connection.close();
await devServer?.stop();
