/**
 * `bun run bench:runner`: what the service and the callback handshake cost, against Temporal
 * used directly, in the same run on a dev server started here (or TEMPORAL_ADDRESS).
 *   1. executeAsync latency (gRPC + compile + seal + start) against a raw client.workflow.start
 *      of the same, pre-compiled workflow; compile time and the bare gRPC round trip beside it
 *      (every document is distinct, so the service's compile cache never answers; the compile
 *      measured is of the same distinct document). The two starts take turns at going first.
 *   2. end-to-end executions per second for N concurrent trivial executions with callback tokens
 *      (executeAsync → execution → the parked caller activity completed → execution closed),
 *      against the same N executions started and awaited directly (one document for all, as
 *      callers running one kind of job send: compiled once, then served from the cache).
 *   3. `execute` against `executeAsync` + awaiting the result with the Temporal client, and both
 *      against the same compiled interpreter workflow started directly and awaited (the issue's
 *      "service path within 10% of a direct start", measured end to end as the issue measured it),
 *      each sequential on one document; and what reading a closed execution costs: Temporal's
 *      describe and the status query (which a worker answers by replaying the closed history).
 *   4. footprint, each side in its own process(es) with CPU and memory read from /proc: rounds of
 *      N concurrent one-set executions on a bare TypeScript worker and a bare Go worker (the same
 *      hand-written workflow, started directly; the Go one is built here when Go is installed), on
 *      one runner replica (executeAsync → closed; and the same interpreter executions started on
 *      its queue with the Temporal client, its worker's CPU alone) and on two replicas
 *      sharing a task queue (starts spread over both): executions/s, CPU milliseconds per
 *      execution, and each process's resident memory afterwards.
 * It ends with a summary: every speed and footprint target of issue #19 with its figure, the
 * baseline measured in the same run, the ratio and whether it is met, and the load average at the
 * start and end. Zigflow cannot be fetched here; it is a Go interpreter on the Go SDK, so it spends
 * at least what the bare Go worker spends, and the CPU target's baseline is that worker.
 * The machine may be shared: compare the ratios within one run, not figures across runs.
 * Knobs: BENCH_LATENCY_RUNS (default 200), BENCH_CONCURRENT (default 500), BENCH_ROUNDS (default 3),
 * BENCH_EXECUTE_RUNS (default 40), BENCH_FOOTPRINT (default 200).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { status as GrpcStatus } from '@grpc/grpc-js';
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
import { encodeTokenKey, generateTokenKey } from '../src/token/seal.ts';
import { connectRunner } from '../test/service/support/grpc-client.ts';
import type { RunnerClient } from '../test/service/support/grpc-client.ts';
import { buildGoWorker } from './runner/go-worker.ts';
import { cpuSeconds, residentMiB, startBunScript, startProcess } from './runner/processes.ts';
import type { BenchProcess } from './runner/processes.ts';
import type { ParkingActivities } from './runner/parking-workflow.ts';

const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EXECUTE_RUNS = Number(process.env.BENCH_EXECUTE_RUNS ?? 40);
const FOOTPRINT = Number(process.env.BENCH_FOOTPRINT ?? 200);
const WARMUP = 20;
const benchStarted = performance.now();
const loadAtStart = loadAverage();
/** Every #19 target, with its figure and the baseline it is a ratio to (measured in this run). */
const targets: Target[] = [];
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
    // Each start makes the dev server busy for a while after it answered: the two sides take turns
    // at going first, so neither always pays for the other's aftermath.
    const sides = [
      async () => {
        const started = performance.now();
        await rawStart(`raw-${runId}-${i}`, i, `${taskQueue}-unpolled`);
        if (measured) raw.push(performance.now() - started);
      },
      async () => {
        const started = performance.now();
        // A distinct document each time, so the compile cache never answers: compile is in the figure.
        await grpcStartOnly.executeAsync({ workflowExecutionId: `svc-${runId}-${i}`, workflowYaml: `${YAML}# ${i}\n`, input: { n: i } });
        if (measured) service.push(performance.now() - started);
      },
    ];
    for (const side of i % 2 === 0 ? sides : sides.reverse()) await side();
    let started = performance.now();
    compileWorkflow(`${YAML}# ${i}\n`, { file: 'bench' });
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
  const servicePath = { figure: `${(serviceMedian - compileMedian).toFixed(2)} ms`, baseline: `raw start ${rawMedian.toFixed(2)} ms`, ratio: (serviceMedian - compileMedian) / rawMedian };
  targets.push({ name: 'service path: (executeAsync − compile) / raw workflow.start', ...servicePath, limit: 1.2, sense: 'at most' });

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
      tokens.map((token, i) => startRetrying(() => grpc.executeAsync({ workflowExecutionId: ids[i], workflowYaml: YAML, input: { n: i }, callbackToken: token }))),
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
  targets.push({
    name: `${CONCURRENT} concurrent callback executions / the same started directly`,
    figure: `${callbackRate.toFixed(1)} executions/s`,
    baseline: `direct ${directRate.toFixed(1)} executions/s`,
    ratio: callbackRate / directRate,
    limit: 0.8,
    sense: 'at least',
  });

  // ---- 3. execute against executeAsync + awaiting the result ------------------------------
  const viaExecute: number[] = [];
  const viaAsync: number[] = [];
  const viaDirect: number[] = [];
  const describeClosed: number[] = [];
  const queryClosed: number[] = [];
  for (let i = 0; i < WARMUP + EXECUTE_RUNS; i++) {
    const measured = i >= WARMUP;
    const id = `async-${runId}-${i}`;
    // As in the latency rounds, the two take turns at going first: the worker is still busy with
    // the previous execution's aftermath when the next one starts, and neither should always pay it.
    const sides = [
      async () => {
        const started = performance.now();
        await grpc.execute({ workflowExecutionId: `exec-${runId}-${i}`, workflowYaml: YAML, input: { n: i } });
        if (measured) viaExecute.push(performance.now() - started);
      },
      async () => {
        const started = performance.now();
        await grpc.executeAsync({ workflowExecutionId: id, workflowYaml: YAML, input: { n: i } });
        await client.workflow.getHandle(id).result();
        if (measured) viaAsync.push(performance.now() - started);
      },
      async () => {
        // The issue's own baseline: the same compiled interpreter workflow started directly.
        const started = performance.now();
        await (await rawStart(`direct-one-${runId}-${i}`, i)).result();
        if (measured) viaDirect.push(performance.now() - started);
      },
    ];
    // Each side goes first in turn.
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]!();
    const handle = client.workflow.getHandle(id);
    let started = performance.now();
    await handle.describe();
    if (measured) describeClosed.push(performance.now() - started);
    started = performance.now();
    await handle.query(statusQuery);
    if (measured) queryClosed.push(performance.now() - started);
  }
  console.log(`\nexecute against executeAsync + awaiting the result, ${EXECUTE_RUNS} sequential runs (after ${WARMUP} warm-up)`);
  console.log(row('execute (gRPC)', viaExecute));
  console.log(row('executeAsync + result()', viaAsync));
  console.log(row('direct start + result()', viaDirect));
  console.log(row('describe, closed', describeClosed));
  console.log(row('status query, closed', queryClosed));
  console.log(`  ratio execute / (executeAsync + result) (median): ${(quantile(viaExecute, 0.5) / quantile(viaAsync, 0.5)).toFixed(2)}×   target ≤ 1.0×`);
  console.log(`  ratio (executeAsync + result) / (direct start + result) (median): ${(quantile(viaAsync, 0.5) / quantile(viaDirect, 0.5)).toFixed(2)}×   target ≤ 1.1×`);
  targets.push({
    name: 'service path end to end: (executeAsync + result) / (direct start + result)',
    figure: `${quantile(viaAsync, 0.5).toFixed(2)} ms`,
    baseline: `direct ${quantile(viaDirect, 0.5).toFixed(2)} ms`,
    ratio: quantile(viaAsync, 0.5) / quantile(viaDirect, 0.5),
    limit: 1.1,
    sense: 'at most',
  });
  targets.push({
    name: 'execute / (executeAsync + awaiting the result)',
    figure: `${quantile(viaExecute, 0.5).toFixed(2)} ms`,
    baseline: `${quantile(viaAsync, 0.5).toFixed(2)} ms`,
    ratio: quantile(viaExecute, 0.5) / quantile(viaAsync, 0.5),
    limit: 1.0,
    sense: 'at most',
  });

  // ---- 4. footprint: runner processes against a bare worker, one replica against two ---------
  const footprint = await startFootprintProcesses();
  try {
    const bareRates: number[] = [];
    const bareGoRates: number[] = [];
    const aloneRates: number[] = [];
    const directRates: number[] = [];
    const pairRates: number[] = [];
    const bareCpu: number[] = [];
    const bareGoCpu: number[] = [];
    const aloneCpu: number[] = [];
    const directCpu: number[] = [];
    const pairCpu: number[] = [];
    const replicaClients = footprint.replicas.map((replica) => connectRunner(replica.address));
    const [aloneClient, ...pairClients] = replicaClients as [RunnerClient, RunnerClient, RunnerClient];
    const viaRunner = (clients: RunnerClient[], label: string) => async (i: number, round: number) => {
      const id = `${label}-${runId}-${round}-${i}`;
      await startRetrying(() => clients[i % clients.length]!.executeAsync({ workflowExecutionId: id, workflowYaml: YAML, input: { n: i } }));
      await client.workflow.getHandle(id).result();
    };
    // The same interpreter executions started on the lone replica's queue with the Temporal client:
    // its worker's CPU alone, comparable with the bare worker's (Zigflow's figure was its worker's).
    const viaRunnerWorker = async (i: number, round: number) => {
      const id = `worker-${runId}-${round}-${i}`;
      const handle = await client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { workflowId: id, taskQueue: footprint.aloneQueue, args: [argsFor(id, i)] });
      await handle.result();
    };
    const viaBare = async (i: number, round: number) => {
      const handle = await client.workflow.start('handwrittenOneSet', { workflowId: `bare-${runId}-${round}-${i}`, taskQueue: footprint.bareQueue, args: [{ name: `n${i}` }] });
      await handle.result();
    };
    const bareGo = 'process' in footprint.bareGo ? footprint.bareGo : undefined;
    const viaBareGo = async (i: number, round: number) => {
      const handle = await client.workflow.start('handwrittenOneSet', { workflowId: `bare-go-${runId}-${round}-${i}`, taskQueue: bareGo!.queue, args: [{ name: `n${i}` }] });
      await handle.result();
    };
    // Warm-up: bundles loaded, JIT warm, connections open in every process.
    await footprintRound(20, -1, viaBare, [footprint.bare.pid]);
    if (bareGo) await footprintRound(20, -1, viaBareGo, [bareGo.process.pid]);
    await footprintRound(20, -1, viaRunner([aloneClient], 'alone'), [footprint.replicas[0].pid]);
    await footprintRound(20, -1, viaRunnerWorker, [footprint.replicas[0].pid]);
    await footprintRound(20, -1, viaRunner(pairClients, 'pair'), footprint.replicas.slice(1).map((r) => r.pid));
    for (let round = 0; round < ROUNDS; round++) {
      const bareRound = await footprintRound(FOOTPRINT, round, viaBare, [footprint.bare.pid]);
      bareRates.push(bareRound.rate);
      bareCpu.push(bareRound.cpuMsPerExecution);
      if (bareGo) {
        const bareGoRound = await footprintRound(FOOTPRINT, round, viaBareGo, [bareGo.process.pid]);
        bareGoRates.push(bareGoRound.rate);
        bareGoCpu.push(bareGoRound.cpuMsPerExecution);
      }
      const aloneRound = await footprintRound(FOOTPRINT, round, viaRunner([aloneClient], 'alone'), [footprint.replicas[0].pid]);
      aloneRates.push(aloneRound.rate);
      aloneCpu.push(aloneRound.cpuMsPerExecution);
      const directRound = await footprintRound(FOOTPRINT, round, viaRunnerWorker, [footprint.replicas[0].pid]);
      directRates.push(directRound.rate);
      directCpu.push(directRound.cpuMsPerExecution);
      const pairRound = await footprintRound(FOOTPRINT, round, viaRunner(pairClients, 'pair'), footprint.replicas.slice(1).map((r) => r.pid));
      pairRates.push(pairRound.rate);
      pairCpu.push(pairRound.cpuMsPerExecution);
    }
    const runnerMiB = residentMiB(footprint.replicas[0].pid);
    const bareMiB = residentMiB(footprint.bare.pid);
    const bareGoMiB = bareGo ? residentMiB(bareGo.process.pid) : undefined;
    for (const replicaClient of replicaClients) replicaClient.close();
    const line = (label: string, rates: number[], cpu: number[]) =>
      `  ${label.padEnd(44)} ${quantile(rates, 0.5).toFixed(1).padStart(6)} executions/s   ${quantile(cpu, 0.5).toFixed(2)} ms CPU per execution   (rounds: ${rates.map((r) => r.toFixed(1)).join(', ')})`;
    console.log(`\nfootprint, ${FOOTPRINT} concurrent one-set executions per round, median of ${ROUNDS} alternating rounds; each side its own process(es), CPU from /proc`);
    console.log(line('bare TS worker, hand-written, started direct', bareRates, bareCpu));
    if ('missing' in footprint.bareGo) console.log(`  bare Go worker: not measured (${footprint.bareGo.missing})`);
    else console.log(line('bare Go worker, hand-written, started direct', bareGoRates, bareGoCpu));
    console.log(line('runner, one replica (executeAsync → closed)', aloneRates, aloneCpu));
    console.log(line('runner, one replica, started direct (worker)', directRates, directCpu));
    console.log(line('runner, two replicas, starts spread over both', pairRates, pairCpu));
    console.log(`  ratio runner CPU per execution / bare worker (median): ${(quantile(aloneCpu, 0.5) / quantile(bareCpu, 0.5)).toFixed(2)}×   (the runner's figure includes its gRPC service and compile)`);
    console.log(`  ratio runner worker CPU per execution (started direct) / bare worker (median): ${(quantile(directCpu, 0.5) / quantile(bareCpu, 0.5)).toFixed(2)}×`);
    if (bareGo) {
      console.log(`  ratio runner worker CPU per execution (started direct) / bare Go worker (median): ${(quantile(directCpu, 0.5) / quantile(bareGoCpu, 0.5)).toFixed(2)}×   target ≤ 1.0× (Zigflow spends at least the bare Go worker's)`);
    }
    console.log(`  ratio two replicas / one replica throughput (median): ${(quantile(pairRates, 0.5) / quantile(aloneRates, 0.5)).toFixed(2)}×   (both share this machine's cores and one dev server)`);
    console.log(
      `  resident memory after the rounds: runner ${runnerMiB.toFixed(0)} MiB, bare worker ${bareMiB.toFixed(0)} MiB, ratio ${(runnerMiB / bareMiB).toFixed(2)}×   target ≤ 1.2×` +
        (bareGoMiB === undefined ? '' : `   (bare Go worker ${bareGoMiB.toFixed(0)} MiB)`),
    );
    if (bareGo) {
      targets.push({
        // Zigflow is a Go interpreter on the Go SDK, so it spends at least what this bare Go worker
        // spends: the ratio to the bare Go worker bounds the ratio to Zigflow from above.
        name: 'worker CPU per execution / bare Go worker (≥ the ratio to Zigflow)',
        figure: `${quantile(directCpu, 0.5).toFixed(2)} ms`,
        baseline: `bare Go ${quantile(bareGoCpu, 0.5).toFixed(2)} ms`,
        ratio: quantile(directCpu, 0.5) / quantile(bareGoCpu, 0.5),
        limit: 1.0,
        sense: 'at most',
      });
    }
    targets.push({
      name: 'worker CPU per execution / bare TS worker (what the interpreter adds)',
      figure: `${quantile(directCpu, 0.5).toFixed(2)} ms`,
      baseline: `bare ${quantile(bareCpu, 0.5).toFixed(2)} ms`,
      ratio: quantile(directCpu, 0.5) / quantile(bareCpu, 0.5),
    });
    targets.push({
      name: 'runner CPU per execution with its gRPC service / bare TS worker (a figure)',
      figure: `${quantile(aloneCpu, 0.5).toFixed(2)} ms`,
      baseline: `bare ${quantile(bareCpu, 0.5).toFixed(2)} ms`,
      ratio: quantile(aloneCpu, 0.5) / quantile(bareCpu, 0.5),
    });
    targets.push({
      name: 'runner resident memory / bare TS worker, after the rounds',
      figure: `${runnerMiB.toFixed(0)} MiB`,
      baseline: `bare ${bareMiB.toFixed(0)} MiB`,
      ratio: runnerMiB / bareMiB,
      limit: 1.2,
      sense: 'at most',
    });
    targets.push({
      name: 'two replicas / one replica throughput (a figure, no target)',
      figure: `${quantile(pairRates, 0.5).toFixed(1)} executions/s`,
      baseline: `one ${quantile(aloneRates, 0.5).toFixed(1)} executions/s`,
      ratio: quantile(pairRates, 0.5) / quantile(aloneRates, 0.5),
    });
  } finally {
    await footprint.stop();
  }
  printSummary();
} finally {
  grpc.close();
  grpcStartOnly.close();
  await connection.close();
  await runner.stop();
  await startOnly.stop();
  await devServer?.stop();
}

interface Target {
  readonly name: string;
  readonly figure: string;
  readonly baseline: string;
  readonly ratio: number;
  /** Absent for a figure without a target. */
  readonly limit?: number;
  readonly sense?: 'at most' | 'at least';
}

/** The #19 targets in one table, each with its verdict, and the load the run was measured under. */
function printSummary(): void {
  const verdict = (t: Target) => {
    if (t.limit === undefined) return '—';
    const met = t.sense === 'at least' ? t.ratio >= t.limit : t.ratio <= t.limit;
    return `${met ? 'MET' : 'MISSED'} (${t.sense === 'at least' ? '≥' : '≤'} ${t.limit.toFixed(1)}×)`;
  };
  console.log(`\nsummary: the speed and footprint targets of issue #19, ratios within this run`);
  for (const t of targets) {
    console.log(`  ${t.name.padEnd(72)} ${t.figure.padStart(22)}   vs ${t.baseline.padEnd(26)} ${t.ratio.toFixed(2).padStart(5)}×   ${verdict(t)}`);
  }
  const minutes = (performance.now() - benchStarted) / 60_000;
  console.log(`  load average (1 min) at start ${loadAtStart}, at end ${loadAverage()}, on ${navigator.hardwareConcurrency} cores; ran ${minutes.toFixed(1)} min`);
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
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

interface FootprintProcesses {
  /** One replica alone on its task queue, then two sharing another. */
  readonly replicas: readonly [BenchProcess, BenchProcess, BenchProcess];
  readonly bare: BenchProcess;
  readonly bareQueue: string;
  /** The same hand-written workflow on the Go SDK, Zigflow's SDK; missing without a Go toolchain. */
  readonly bareGo: { readonly process: BenchProcess; readonly queue: string } | { readonly missing: string };
  /** The lone replica's task queue. */
  readonly aloneQueue: string;
  stop(): Promise<void>;
}

async function startFootprintProcesses(): Promise<FootprintProcesses> {
  const tokenKey = encodeTokenKey(generateTokenKey());
  const runnerScript = new URL('../test/service/support/runner-process.ts', import.meta.url);
  const replicaEnv = (queue: string) => ({
    TEMPORAL_ADDRESS: address!,
    TEMPORAL_NAMESPACE: namespace,
    BATON_GRPC_ADDRESS: '127.0.0.1:0',
    BATON_TASK_QUEUE: queue,
    BATON_TOKEN_KEY: tokenKey,
  });
  const bareQueue = `${taskQueue}-bare`;
  const bareGoQueue = `${taskQueue}-bare-go`;
  const goWorker = await buildGoWorker();
  const started = await Promise.allSettled([
    startBunScript(runnerScript, replicaEnv(`${taskQueue}-alone`)),
    startBunScript(runnerScript, replicaEnv(`${taskQueue}-pair`)),
    startBunScript(runnerScript, replicaEnv(`${taskQueue}-pair`)),
    startBunScript(new URL('./runner/bare-worker.ts', import.meta.url), { TEMPORAL_ADDRESS: address!, TEMPORAL_NAMESPACE: namespace, BENCH_TASK_QUEUE: bareQueue }),
    ...(goWorker.ok ? [startProcess([goWorker.path], { TEMPORAL_ADDRESS: address!, TEMPORAL_NAMESPACE: namespace, BENCH_TASK_QUEUE: bareGoQueue })] : []),
  ]);
  const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [alone, pairA, pairB, bare, bareGo] = processes as [BenchProcess, BenchProcess, BenchProcess, BenchProcess, BenchProcess];
  return {
    replicas: [alone, pairA, pairB],
    bare,
    bareQueue,
    bareGo: goWorker.ok ? { process: bareGo, queue: bareGoQueue } : { missing: goWorker.reason },
    aloneQueue: `${taskQueue}-alone`,
    stop,
  };
}

/**
 * Sends a start again after UNAVAILABLE or RESOURCE_EXHAUSTED, as a caller would (the execution id
 * makes it idempotent): on a loaded machine a burst's last starts can pass Temporal's deadline.
 */
async function startRetrying(send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= 10 || (code !== GrpcStatus.UNAVAILABLE && code !== GrpcStatus.RESOURCE_EXHAUSTED)) throw err;
      await Bun.sleep(200 * attempt);
    }
  }
}

/** `count` executions at once; their rate, and the CPU the given processes spent per execution. */
async function footprintRound(
  count: number,
  round: number,
  run: (i: number, round: number) => Promise<void>,
  pids: readonly number[],
): Promise<{ rate: number; cpuMsPerExecution: number }> {
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const seconds = await timed(async () => {
    await Promise.all(Array.from({ length: count }, (_, i) => run(i, round)));
  });
  return { rate: count / seconds, cpuMsPerExecution: ((cpu() - cpuBefore) * 1000) / count };
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
