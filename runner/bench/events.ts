/**
 * `bun run bench:events`: publish → resumed latency through Baton's event bus (POST /events, the
 * router workflow, a `listen` task), against a hand-written Temporal workflow waiting for a signal
 * the client sends it directly, on a dev server started here (or TEMPORAL_ADDRESS). Both are timed
 * from the publish (or signal) call to the waiting workflow's result. Also: what the router's
 * history grows by per routed event, events/s into 100 waiting executions, and a profile of both
 * read from the histories' timestamps (which hop the latency goes to; whether the router or the
 * listening executions bound the throughput).
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
  const acknowledged = performance.now();
  await temporal.workflow.getHandle(id).result();
  const elapsed = performance.now() - began;
  await waitUnsubscribed();
  if (i >= 0) await breakDown(id, acknowledged - began);
  return elapsed;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<typeof router.fetchHistory>>['events']>[number];
const eventTime = (event: HistoryEvent | undefined) => (event ? Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6 : NaN);

/** Per wait, from the histories' timestamps: where publish → resumed went. */
const segments = { acknowledge: [] as number[], router: [] as number[], signal: [] as number[], listener: [] as number[] };
async function breakDown(id: string, acknowledgeMs: number): Promise<void> {
  const routerEvents = (await router.fetchHistory()).events ?? [];
  const initiated = routerEvents.findIndex((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId === id);
  const published = routerEvents.slice(0, initiated).findLast((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'batonPublishEvents');
  if (initiated < 0 || !published) return; // the router continued as new in between
  const listenerEvents = (await temporal.workflow.getHandle(id).fetchHistory()).events ?? [];
  const delivered = listenerEvents.find((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'batonDeliverEvent');
  const closed = listenerEvents.find((event) => event.workflowExecutionCompletedEventAttributes);
  segments.acknowledge.push(acknowledgeMs);
  segments.router.push(eventTime(routerEvents[initiated]) - eventTime(published));
  segments.signal.push(eventTime(delivered) - eventTime(routerEvents[initiated]));
  segments.listener.push(eventTime(closed) - eventTime(delivered));
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
const medianOf = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;
console.log(`  where Baton's time goes (medians, history timestamps): publish acknowledged ${fmt(medianOf(segments.acknowledge))}, router (publish recorded → delivery commanded) ${fmt(medianOf(segments.router))}, server (→ delivery recorded) ${fmt(medianOf(segments.signal))}, listener (→ completed) ${fmt(medianOf(segments.listener))}`);
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
const fanRunId = (await router.describe()).runId;
const began = performance.now();
const beganAt = Date.now();
for (let round = 0; round < PER_EXECUTION; round++) {
  const response = await publish(ids.map((id) => ({ subject: id, data: { round } })));
  if (response.status !== 202) throw new Error(`publish: ${response.status}`);
}
const publishedAt = Date.now();
await Promise.all(ids.map((id) => temporal.workflow.getHandle(id).result()));
const seconds = (performance.now() - began) / 1000;
const endedAt = Date.now();
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
await profileFanOut();

/**
 * Where the sustained run's time went, read from the histories: when the router commanded its last
 * delivery of the run's events (vs. the last publish's ACK and the last execution's end), how busy
 * its workflow tasks kept it, and how many events each delivery signal carried.
 */
async function profileFanOut(): Promise<void> {
  type Event = NonNullable<Awaited<ReturnType<typeof router.fetchHistory>>['events']>[number];
  const events: Event[] = [];
  for (let runId: string | undefined = fanRunId; runId; ) {
    const history: Event[] = (await temporal.workflow.getHandle(router.workflowId, runId).fetchHistory()).events ?? [];
    events.push(...history);
    runId = history.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  const at = (event: Event) => Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
  const inRun = events.filter((event) => at(event) >= beganAt && at(event) <= endedAt);
  const deliveries = inRun.filter((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes);
  const lastDelivery = Math.max(...deliveries.map(at));
  const started = new Map(inRun.filter((event) => event.workflowTaskStartedEventAttributes).map((event) => [String(event.eventId), at(event)]));
  // The router's workflow tasks until its last delivery: how much of the routing span it was busy.
  const completions = inRun.filter((event) => event.workflowTaskCompletedEventAttributes && at(event) <= lastDelivery);
  const busy = completions.reduce((sum, event) => sum + at(event) - (started.get(String(event.workflowTaskCompletedEventAttributes!.startedEventId)) ?? at(event)), 0);
  console.log(`profile of the sustained run (router ${router.workflowId})`);
  console.log(`  last publish acknowledged      +${((publishedAt - beganAt) / 1000).toFixed(2)} s`);
  console.log(`  router's last delivery         +${((lastDelivery - beganAt) / 1000).toFixed(2)} s`);
  console.log(`  last execution ended           +${((endedAt - beganAt) / 1000).toFixed(2)} s`);
  console.log(`  router workflow tasks until then ${completions.length}, busy ${(busy / 1000).toFixed(2)} s of them; delivery signals ${deliveries.length} (${(total / deliveries.length).toFixed(1)} events each); router history ${(inRun.length / total).toFixed(2)} events per event`);
}

grpc.close();
worker.shutdown();
await workerDone;
await runner.stop();
await connection.close();
await devServer?.stop();
