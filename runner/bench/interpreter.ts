/**
 * `bun run bench:interpreter`: history events and end-to-end latency of the interpreter against
 * hand-written TypeScript workflows doing the same work, on a real dev server started here.
 *   1. a sequential 20-task document (10 × set + switch)
 *   2. a `for` over 100 items
 *   3. a one-task document (a single `set`): the fixed cost per execution
 * Runs are sequential (one execution at a time) after a warm-up, so latency is per execution.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { compileWorkflow } from '@baton/dsl';
import type { Plan } from '@baton/dsl';
import { startDevServer } from '../src/temporal/dev-server.ts';
import { interpreterActivities } from '../src/temporal/worker.ts';
import { INTERPRETER_WORKFLOW_TYPE } from '../src/contract/index.ts';
import type { InterpreterArgs } from '../src/contract/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 5;

/** 20 tasks: ten rounds of a `set` (add, record parity) and a `switch` (stop early when large). */
function sequenceYaml(): string {
  const tasks: string[] = [];
  for (let round = 0; round < 10; round++) {
    tasks.push(`  - add${round}:
      set:
        value: \${ .value + ${round} }
        path: \${ .path + [if (.value + ${round}) % 2 == 0 then "even" else "odd" end] }
  - check${round}:
      switch:
        - tooLarge:
            when: \${ .value > 1000 }
            then: end
        - fine:
            then: continue`);
  }
  return `document:
  dsl: '1.0.0'
  namespace: bench
  name: sequence
  version: '1.0.0'
input:
  from: '\${ { value: .value, path: [] } }'
do:
${tasks.join('\n')}
`;
}

const LOOP_YAML = `document:
  dsl: '1.0.0'
  namespace: bench
  name: loop
  version: '1.0.0'
do:
  - sum:
      input:
        from: '\${ { items: .items, total: 0, count: 0 } }'
      for:
        each: item
        at: index
        in: \${ .items }
      do:
        - add:
            set:
              items: \${ .items }
              total: \${ .total + ($item * 2) }
              count: \${ $index + 1 }
      output:
        as: '\${ { total, count } }'
`;

const ONE_SET_YAML = `document:
  dsl: '1.0.0'
  namespace: bench
  name: one-set
  version: '1.0.0'
do:
  - greet:
      set:
        greeting: \${ "Hello, " + .name + "!" }
`;

function compile(source: string, file: string): Plan {
  const result = compileWorkflow(source, { file });
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.diagnostics)}`);
  return result.plan;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

interface Measurement {
  readonly events: number;
  readonly median: number;
  readonly p95: number;
  readonly output: unknown;
}

interface Workload {
  readonly workflowType: string;
  readonly args: () => unknown[];
}

async function runOnce(client: Client, taskQueue: string, workload: Workload) {
  const workflowId = `bench-${workload.workflowType}-${crypto.randomUUID()}`;
  const started = performance.now();
  const output = await client.workflow.execute(workload.workflowType, { taskQueue, workflowId, args: workload.args() });
  return { workflowId, output, elapsed: performance.now() - started };
}

/** Alternates the two workloads run by run, so drift on a shared machine hits both alike. */
async function measurePair(client: Client, taskQueue: string, a: Workload, b: Workload): Promise<[Measurement, Measurement]> {
  const latencies: [number[], number[]] = [[], []];
  const events: [number, number] = [0, 0];
  const outputs: [unknown, unknown] = [undefined, undefined];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const [index, workload] of [a, b].entries()) {
      const result = await runOnce(client, taskQueue, workload);
      outputs[index] = result.output;
      if (run >= WARMUP) latencies[index]?.push(result.elapsed);
      if (run === WARMUP) {
        events[index] = (await client.workflow.getHandle(result.workflowId).fetchHistory()).events?.length ?? 0;
      }
    }
  }
  const summarise = (index: 0 | 1): Measurement => {
    const sorted = [...latencies[index]].sort((x, y) => x - y);
    return { events: events[index], median: percentile(sorted, 50), p95: percentile(sorted, 95), output: outputs[index] };
  };
  return [summarise(0), summarise(1)];
}

function row(label: string, interpreter: Measurement, floor: Measurement): string {
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(9);
  return [
    label.padEnd(22),
    `${interpreter.events}`.padStart(7),
    `${floor.events}`.padStart(7),
    `${(interpreter.events / floor.events).toFixed(2)}x`.padStart(7),
    fmt(interpreter.median),
    fmt(floor.median),
    `${(interpreter.median / floor.median).toFixed(2)}x`.padStart(7),
    fmt(interpreter.p95),
    fmt(floor.p95),
    `${(interpreter.p95 / floor.p95).toFixed(2)}x`.padStart(7),
  ].join(' ');
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address, connectTimeout: 2_000 });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = `bench-${crypto.randomUUID()}`;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./handwritten-workflows.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: server.namespace,
    taskQueue,
    workflowBundle,
    activities: interpreterActivities,
  });
  const running = worker.run();
  try {
    const sequencePlan = compile(sequenceYaml(), 'bench-sequence.yaml');
    const loopPlan = compile(LOOP_YAML, 'bench-loop.yaml');
    const items = Array.from({ length: 100 }, (_, index) => index);
    const interpreter = (plan: Plan, input: unknown): Workload => ({
      workflowType: INTERPRETER_WORKFLOW_TYPE,
      args: (): [InterpreterArgs] => [{ executionId: `bench-${crypto.randomUUID()}`, plan, input }],
    });
    const [sequence, sequenceFloor] = await measurePair(client, taskQueue, interpreter(sequencePlan, { value: 1 }), {
      workflowType: 'handwrittenSequence',
      args: () => [{ value: 1 }],
    });
    const [loop, loopFloor] = await measurePair(client, taskQueue, interpreter(loopPlan, { items }), {
      workflowType: 'handwrittenLoop',
      args: () => [{ items }],
    });

    const [oneSet, oneSetFloor] = await measurePair(client, taskQueue, interpreter(compile(ONE_SET_YAML, 'bench-one-set.yaml'), { name: 'Ada' }), {
      workflowType: 'handwrittenOneSet',
      args: () => [{ name: 'Ada' }],
    });

    for (const [name, a, b] of [
      ['sequence', sequence, sequenceFloor],
      ['loop', loop, loopFloor],
      ['one set', oneSet, oneSetFloor],
    ] as const) {
      if (JSON.stringify(a.output) !== JSON.stringify(b.output)) {
        throw new Error(`${name}: interpreter output ${JSON.stringify(a.output)} differs from hand-written ${JSON.stringify(b.output)}`);
      }
    }

    console.log(`interpreter vs hand-written TypeScript workflow — ${RUNS} runs each (alternating, one at a time) after ${WARMUP} warm-up, Bun ${Bun.version}`);
    console.log(
      [
        'workload'.padEnd(22),
        'events'.padStart(7),
        'floor'.padStart(7),
        'ratio'.padStart(7),
        'median'.padStart(9),
        'floor'.padStart(9),
        'ratio'.padStart(7),
        'p95'.padStart(9),
        'floor'.padStart(9),
        'ratio'.padStart(7),
      ].join(' '),
    );
    console.log(row('20 tasks set/switch', sequence, sequenceFloor));
    console.log(row('for over 100 items', loop, loopFloor));
    console.log(row('one set', oneSet, oneSetFloor));
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
    await server.stop();
  }
}

await main();
