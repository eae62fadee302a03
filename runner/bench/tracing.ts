/**
 * `bun run bench:tracing`: what OpenTelemetry tracing costs, on and off, in one run on a dev
 * server started here (or TEMPORAL_ADDRESS).
 *   1. Off: the only code a runner without tracing runs for it (the caller's metadata injection
 *      and the service's active-span lookup, both no-ops without an SDK), timed per call before
 *      any SDK is registered and set against one execution's latency.
 *   2. On against off: runners in this process, one traced (spans exported as OTLP/protobuf to a
 *      loopback collector stand-in that accepts and drops them), two not (the second one is the
 *      control: its ratio to the first is the noise floor of the comparison). Each execution is
 *      executeAsync from the caller library, an HTTP call activity to a loopback server, a `set`,
 *      and the result read by the Temporal client. Sequential executions are interleaved one by
 *      one and concurrent rounds rotate, because the machine is shared and single runs drift; the CPU
 *      time of this process per execution in each side's concurrent rounds is printed too, as a
 *      busy machine stretches it far less than wall time.
 * Knobs: BENCH_SEQUENTIAL (default 30), BENCH_CONCURRENT (default 40), BENCH_ROUNDS (default 3).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { Metadata } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectRunner, RunnerCallError } from '../../caller/src/runner-client.ts';
import type { RunnerClient } from '../../caller/src/runner-client.ts';
import { defaultConfig } from '../src/config.ts';
import { startRunner } from '../src/runner.ts';
import type { Runner } from '../src/runner.ts';
import { startDevServer } from '../src/temporal/dev-server.ts';
import type { DevServer } from '../src/temporal/dev-server.ts';
import { startTracing } from '../src/tracing/index.ts';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 30);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OFF_PATH_CALLS = 1_000_000;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const quiet = { info: () => undefined, warn: () => undefined };

// ---- 1. the off path, before any SDK exists in this process --------------------------------
const setter = { set: (carrier: Metadata, key: string, value: string) => carrier.set(key, value) };
const offStarted = performance.now();
for (let i = 0; i < OFF_PATH_CALLS; i++) {
  propagation.inject(context.active(), new Metadata(), setter);
  trace.getActiveSpan()?.setAttributes({ 'baton.execution_id': 'x' });
}
const offPathNs = ((performance.now() - offStarted) * 1e6) / OFF_PATH_CALLS;
// `new Metadata()` is made by the caller anyway: take it out of the figure.
const metadataStarted = performance.now();
for (let i = 0; i < OFF_PATH_CALLS; i++) new Metadata();
const offCostNs = offPathNs - ((performance.now() - metadataStarted) * 1e6) / OFF_PATH_CALLS;

// ---- 2. on against off ---------------------------------------------------------------------
let exportedRequests = 0;
let exportedBytes = 0;
const collector = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    exportedBytes += (await request.arrayBuffer()).byteLength;
    exportedRequests++;
    return new Response(null, { status: 200, headers: { 'content-type': 'application/x-protobuf' } });
  },
});
process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${collector.port}/v1/traces`;
const quotes = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => Response.json({ quote: 'bench' }) });

let devServer: DevServer | undefined;
let address = process.env.TEMPORAL_ADDRESS;
if (!address) {
  devServer = await startDevServer({ namespace: 'default' });
  address = devServer.address;
}
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const runId = Date.now().toString(36);
const config = (queue: string) =>
  defaultConfig({
    grpcAddress: '127.0.0.1:0',
    temporal: { connection: { address }, namespace },
    taskQueue: queue,
    egress: { allow: new Set(['loopback' as const]) },
  });

const YAML = `document: { dsl: '1.0.0', namespace: bench, name: traced, version: '1.0.0' }
do:
  - fetch:
      call: http
      with:
        method: get
        endpoint: http://127.0.0.1:${quotes.port}/quote
  - answer:
      set:
        quote: \${ .quote }
        n: \${ $workflow.input.n }
`;

const untraced = await startRunner(config(`bench-untraced-${runId}`), { log: quiet });
// A second untraced runner: what "on against off" would show with no tracing at all (the noise floor).
const control = await startRunner(config(`bench-control-${runId}`), { log: quiet });
const tracing = await startTracing({ exporters: ['otlp'], protocol: 'http/protobuf' });
const traced = await startRunner(config(`bench-traced-${runId}`), { log: quiet, tracing });
const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const callerTracer = trace.getTracer('bench-caller');
let retries = 0;

interface Side {
  readonly name: string;
  readonly runner: Runner;
  readonly grpc: RunnerClient;
  /** The traced side runs each execution inside a caller span, as a traced caller would. */
  readonly tracer?: Tracer;
  readonly latencies: number[];
  readonly rates: number[];
  /** CPU time of this process per execution (ms) during the side's concurrent rounds. */
  readonly cpu: number[];
}
const sides: Side[] = [
  { name: 'off', runner: untraced, grpc: connectRunner({ runner: untraced.grpcAddress }), latencies: [], rates: [], cpu: [] },
  { name: 'on', runner: traced, grpc: connectRunner({ runner: traced.grpcAddress }), tracer: callerTracer, latencies: [], rates: [], cpu: [] },
  { name: 'control', runner: control, grpc: connectRunner({ runner: control.grpcAddress }), latencies: [], rates: [], cpu: [] },
];
/** The sides in turn, starting with a different one each time, so no side always goes first. */
const rotated = (turn: number) => sides.map((_, index) => sides[(index + turn) % sides.length]!);

async function execution(side: Side, id: string, n: number): Promise<void> {
  const request = { workflowExecutionId: id, workflowYaml: YAML, input: { n }, callbackToken: new Uint8Array(), callbackNamespace: '', workflowReference: undefined };
  const run = async () => {
    // As a caller's activity would: retry what the runner calls transient (a busy shared machine).
    for (let attempt = 1; ; attempt++) {
      try {
        await side.grpc.executeAsync(request);
        break;
      } catch (err) {
        if (!(err instanceof RunnerCallError && err.transient) || attempt === 5) throw err;
        retries++;
        await Bun.sleep(200 * attempt);
      }
    }
    const result = (await client.workflow.getHandle(id).result()) as { n: number };
    if (result.n !== n) throw new Error(`execution ${id} answered ${JSON.stringify(result)}`);
  };
  if (!side.tracer) return run();
  return side.tracer.startActiveSpan('caller', async (span) => {
    try {
      return await run();
    } finally {
      span.end();
    }
  });
}

try {
  // Warm every side (bundles, connections, the compile cache).
  for (const side of sides) for (let i = 0; i < 5; i++) await execution(side, `warm-${side.name}-${runId}-${i}`, i);
  // Sequential executions interleaved one by one, so the machine's drift falls on every side alike.
  for (let i = 0; i < SEQUENTIAL * ROUNDS; i++) {
    for (const side of rotated(i)) {
      const started = performance.now();
      await execution(side, `seq-${side.name}-${runId}-${i}`, i);
      side.latencies.push(performance.now() - started);
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of rotated(round)) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => execution(side, `con-${side.name}-${runId}-${round}-${i}`, i)));
      side.rates.push(CONCURRENT / ((performance.now() - started) / 1000));
      const cpu = process.cpuUsage(cpuBefore);
      side.cpu.push((cpu.user + cpu.system) / 1000 / CONCURRENT);
    }
  }
  await tracing.shutdown();

  const [off, on, noise] = sides as [Side, Side, Side];
  const median = (side: Side) => quantile(side.latencies, 0.5);
  const rate = (side: Side) => quantile(side.rates, 0.5);
  const offMedian = median(off);
  console.log(`\nOne execution (executeAsync → http call activity → set → result), ${SEQUENTIAL * ROUNDS} sequential per side, interleaved`);
  console.log(row('tracing off', off.latencies));
  console.log(row('tracing on (OTLP/protobuf)', on.latencies));
  console.log(row('second runner, off (control)', noise.latencies));
  console.log(`  ratio on / off (median latency): ${(median(on) / offMedian).toFixed(3)}×   (control / off, the noise floor: ${(median(noise) / offMedian).toFixed(3)}×)`);
  console.log(`\n${CONCURRENT} concurrent executions, median of ${ROUNDS} rounds`);
  for (const side of sides) console.log(`  ${side.name.padEnd(8)} ${rate(side).toFixed(1)} executions/s   (rounds: ${side.rates.map((value) => value.toFixed(1)).join(', ')})`);
  console.log(`  ratio on / off (throughput): ${(rate(on) / rate(off)).toFixed(3)}×   (control / off: ${(rate(noise) / rate(off)).toFixed(3)}×)`);
  // The runner's own work (service, worker, workflow sandbox, exporter), which a busy machine stretches far less than wall time.
  const cpu = (side: Side) => quantile(side.cpu, 0.5);
  console.log(`  CPU of the runner process per execution: off ${cpu(off).toFixed(2)} ms, on ${cpu(on).toFixed(2)} ms, control ${cpu(noise).toFixed(2)} ms`);
  console.log(`  ratio on / off (CPU per execution): ${(cpu(on) / cpu(off)).toFixed(3)}×   (control / off: ${(cpu(noise) / cpu(off)).toFixed(3)}×)`);
  console.log(`  exported: ${exportedRequests} OTLP requests, ${(exportedBytes / 1024).toFixed(0)} KiB; executeAsync retried ${retries} times (all sides)`);
  console.log(`\nTracing off: what a runner without tracing runs for it, per call, with no SDK registered`);
  console.log(`  ${Math.max(0, offCostNs).toFixed(0)} ns per execution = ${((Math.max(0, offCostNs) / 1e6 / offMedian) * 100).toFixed(5)} % of one execution (median ${offMedian.toFixed(1)} ms)`);
} finally {
  for (const side of sides) side.grpc.close();
  await traced.stop();
  await control.stop();
  await untraced.stop();
  await connection.close();
  await devServer?.stop();
  await collector.stop(true);
  await quotes.stop(true);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function row(label: string, values: readonly number[]): string {
  return `  ${label.padEnd(28)} median ${quantile(values, 0.5).toFixed(1)} ms   p95 ${quantile(values, 0.95).toFixed(1)} ms`;
}
