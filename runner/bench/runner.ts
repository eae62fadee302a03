/**
 * `bun run bench:runner`: what the service and the callback handshake cost, against Temporal
 * used directly, in the same run on a dev server started here (or TEMPORAL_ADDRESS).
 *   1. executeAsync latency (gRPC + compile + seal + start) against a raw client.workflow.start
 *      of the same, pre-compiled workflow; compile time and the bare gRPC round trip beside it
 *      (every document is distinct, so the service's compile cache never answers).
 *   2. end-to-end executions per second for N concurrent trivial executions with callback tokens
 *      (executeAsync → execution → the parked caller activity completed → execution closed),
 *      against the same N executions started and awaited directly (one document for all, as
 *      callers running one kind of job send: compiled once, then served from the cache).
 *   3. `execute` against `executeAsync` + awaiting the result with the Temporal client, each
 *      sequential on one document, and what reading a closed execution costs: Temporal's describe
 *      and the status query (which a worker answers by replaying the closed history).
 * Knobs: BENCH_LATENCY_RUNS (default 200), BENCH_CONCURRENT (default 500), BENCH_ROUNDS (default 3),
 * BENCH_EXECUTE_RUNS (default 40).
 */
import { fileURLToPath } from 'node:url';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { compileWorkflow } from '@baton/dsl';
import { CallbackDelivery } from '@baton/proto';
import type { Plan } from '@baton/dsl';
import { defaultConfig } from '../src/config.ts';
import { startRunner } from '../src/runner.ts';
import { startDevServer } from '../src/temporal/dev-server.ts';
import type { DevServer } from '../src/temporal/dev-server.ts';
import { INTERPRETER_WORKFLOW_TYPE, statusQuery } from '../src/contract/index.ts';
import type { InterpreterArgs } from '../src/contract/index.ts';
import { connectRunner } from '../test/service/support/grpc-client.ts';
import type { ParkingActivities } from './runner/parking-workflow.ts';

const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EXECUTE_RUNS = Number(process.env.BENCH_EXECUTE_RUNS ?? 40);
const WARMUP = 20;
let parkingBundle: ReturnType<typeof bundleWorkflowCode> | undefined;

const YAML = `document: { dsl: '1.0.0', namespace: bench, name: trivial, version: '1.0.0' }
do:
  - answer:
      set:
        ok: true
        n: \${ .n }
`;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const quiet = { info: () => undefined, warn: () => undefined };

let devServer: DevServer | undefined;
let address = process.env.TEMPORAL_ADDRESS;
if (!address) {
  devServer = await startDevServer({ namespace: 'default' });
  address = devServer.address;
}
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const runId = Date.now().toString(36);
const taskQueue = `bench-runner-${runId}`;

const config = (queue: string) => defaultConfig({ grpcAddress: '127.0.0.1:0', temporal: { connection: { address }, namespace }, taskQueue: queue });
// Latency is measured on a service-only runner whose task queue nobody polls, so executions
// running in the same process don't add noise to the start path being measured.
const startOnly = await startRunner(config(`${taskQueue}-unpolled`), { role: 'service', log: quiet });
const runner = await startRunner(config(taskQueue), { log: quiet });
const grpcStartOnly = connectRunner(startOnly.grpcAddress);
const grpc = connectRunner(runner.grpcAddress);
const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const compiled = compileWorkflow(YAML, { file: 'bench' });
if (!compiled.ok) throw new Error(`benchmark workflow does not compile: ${JSON.stringify(compiled.diagnostics)}`);
const plan: Plan = compiled.plan;

const argsFor = (id: string, n: number): InterpreterArgs => ({ executionId: id, plan, input: { n } });
const rawStart = (id: string, n: number, queue = taskQueue) =>
  client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { workflowId: id, taskQueue: queue, args: [argsFor(id, n)] });

try {
  // ---- 1. latency ------------------------------------------------------------------------
  const raw: number[] = [];
  const service: number[] = [];
  const compile: number[] = [];
  const hop: number[] = [];
  for (let i = 0; i < WARMUP + LATENCY_RUNS; i++) {
    const measured = i >= WARMUP;
    let started = performance.now();
    await rawStart(`raw-${runId}-${i}`, i, `${taskQueue}-unpolled`);
    if (measured) raw.push(performance.now() - started);
    started = performance.now();
    // A distinct document each time, so the compile cache never answers: compile is in the figure.
    await grpcStartOnly.executeAsync({ workflowExecutionId: `svc-${runId}-${i}`, workflowYaml: `${YAML}# ${i}\n`, input: { n: i } });
    if (measured) service.push(performance.now() - started);
    started = performance.now();
    compileWorkflow(YAML, { file: 'bench' });
    if (measured) compile.push(performance.now() - started);
    started = performance.now();
    // A request refused before any Temporal call: the gRPC round trip alone.
    await grpcStartOnly.executeAsync({}).catch(() => undefined);
    if (measured) hop.push(performance.now() - started);
  }
  const rawMedian = quantile(raw, 0.5);
  const serviceMedian = quantile(service, 0.5);
  const compileMedian = quantile(compile, 0.5);
  console.log(`\nexecuteAsync latency, ${LATENCY_RUNS} sequential starts (after ${WARMUP} warm-up; nothing executes them)`);
  console.log(row('raw client.workflow.start', raw));
  console.log(row('executeAsync (gRPC)', service));
  console.log(row('  of which compile', compile));
  console.log(row('gRPC round trip alone', hop));
  console.log(`  ratio executeAsync / raw (median): ${(serviceMedian / rawMedian).toFixed(2)}×`);
  console.log(`  ratio (executeAsync − compile) / raw (median): ${((serviceMedian - compileMedian) / rawMedian).toFixed(2)}×   target ≤ 1.2×`);
  const hopMedian = quantile(hop, 0.5);
  console.log(`  ratio (executeAsync − compile − gRPC round trip) / raw (median): ${((serviceMedian - compileMedian - hopMedian) / rawMedian).toFixed(2)}×`);

  // ---- 2. throughput ---------------------------------------------------------------------
  // Rounds alternate direct and callback runs: the machine is shared, so single runs drift.
  const directRates: number[] = [];
  const callbackRates: number[] = [];
  const accepted: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const directSeconds = await timed(async () => {
      const handles = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => rawStart(`direct-${runId}-${round}-${i}`, i)));
      await Promise.all(handles.map((h) => h.result()));
    });
    directRates.push(CONCURRENT / directSeconds);

    // The callers park first; their worker is then stopped, so the caller engine's own workflow
    // tasks (another system in real life) don't compete with the runner for this machine.
    const tokens = await parkCallers(CONCURRENT, round);
    const ids = tokens.map((_, i) => `cb-${runId}-${round}-${i}`);
    const started = performance.now();
    await Promise.all(
      tokens.map((token, i) => grpc.executeAsync({ workflowExecutionId: ids[i], workflowYaml: YAML, input: { n: i }, callbackToken: token })),
    );
    accepted.push((performance.now() - started) / 1000);
    // An execution closes only after its callback was delivered.
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
    callbackRates.push(CONCURRENT / ((performance.now() - started) / 1000));
    const sample = await Promise.all(ids.slice(0, 10).map((id) => grpc.getExecution(id)));
    const delivered = sample.filter((e) => e.callback?.delivery === CallbackDelivery.CALLBACK_COMPLETED).length;
    if (delivered !== sample.length) throw new Error(`only ${delivered} of ${sample.length} sampled callbacks were delivered`);
  }
  const directRate = quantile(directRates, 0.5);
  const callbackRate = quantile(callbackRates, 0.5);
  console.log(`\nend-to-end throughput, ${CONCURRENT} concurrent trivial executions, median of ${ROUNDS} alternating rounds`);
  console.log(`  started directly, awaited:                  ${directRate.toFixed(1)} executions/s   (rounds: ${directRates.map((r) => r.toFixed(1)).join(', ')})`);
  console.log(`  executeAsync + callback to a parked caller: ${callbackRate.toFixed(1)} executions/s   (rounds: ${callbackRates.map((r) => r.toFixed(1)).join(', ')})`);
  console.log(`    measured until every execution closed, i.e. its callback was delivered; all executeAsync answered after ${accepted.map((a) => a.toFixed(2)).join(', ')} s`);
  console.log(`  ratio callback / direct: ${(callbackRate / directRate).toFixed(2)}   target ≥ 0.8`);

  // ---- 3. execute against executeAsync + awaiting the result ------------------------------
  const viaExecute: number[] = [];
  const viaAsync: number[] = [];
  const describeClosed: number[] = [];
  const queryClosed: number[] = [];
  for (let i = 0; i < WARMUP + EXECUTE_RUNS; i++) {
    const measured = i >= WARMUP;
    let started = performance.now();
    await grpc.execute({ workflowExecutionId: `exec-${runId}-${i}`, workflowYaml: YAML, input: { n: i } });
    if (measured) viaExecute.push(performance.now() - started);
    const id = `async-${runId}-${i}`;
    started = performance.now();
    await grpc.executeAsync({ workflowExecutionId: id, workflowYaml: YAML, input: { n: i } });
    await client.workflow.getHandle(id).result();
    if (measured) viaAsync.push(performance.now() - started);
    const handle = client.workflow.getHandle(id);
    started = performance.now();
    await handle.describe();
    if (measured) describeClosed.push(performance.now() - started);
    started = performance.now();
    await handle.query(statusQuery);
    if (measured) queryClosed.push(performance.now() - started);
  }
  console.log(`\nexecute against executeAsync + awaiting the result, ${EXECUTE_RUNS} sequential runs (after ${WARMUP} warm-up)`);
  console.log(row('execute (gRPC)', viaExecute));
  console.log(row('executeAsync + result()', viaAsync));
  console.log(row('describe, closed', describeClosed));
  console.log(row('status query, closed', queryClosed));
  console.log(`  ratio execute / (executeAsync + result) (median): ${(quantile(viaExecute, 0.5) / quantile(viaAsync, 0.5)).toFixed(2)}×   target ≤ 1.0×`);
} finally {
  grpc.close();
  grpcStartOnly.close();
  await connection.close();
  await runner.stop();
  await startOnly.stop();
  await devServer?.stop();
}

/** Starts `count` caller workflows whose activity parks; returns their task tokens once all parked. */
async function parkCallers(count: number, round: number): Promise<Uint8Array[]> {
  const tokens: Uint8Array[] = [];
  let allParked: () => void = () => undefined;
  const parked = new Promise<void>((resolve) => (allParked = resolve));
  const activities: ParkingActivities = {
    async park() {
      tokens.push(Context.current().info.taskToken);
      if (tokens.length === count) allParked();
      throw new CompleteAsyncError();
    },
  };
  const nativeConnection = await NativeConnection.connect({ address });
  const callerQueue = `bench-caller-${runId}-${round}`;
  parkingBundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./runner/parking-workflow.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: callerQueue,
    workflowBundle: await parkingBundle,
    activities,
    maxConcurrentActivityTaskExecutions: count,
  });
  const running = worker.run();
  await Promise.all(
    Array.from({ length: count }, (_, i) => client.workflow.start('parkingCaller', { workflowId: `caller-${runId}-${round}-${i}`, taskQueue: callerQueue })),
  );
  await parked;
  worker.shutdown();
  await running;
  await nativeConnection.close();
  return tokens;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function row(label: string, values: number[]): string {
  return `  ${label.padEnd(28)} median ${quantile(values, 0.5).toFixed(2)} ms   p99 ${quantile(values, 0.99).toFixed(2)} ms`;
}
