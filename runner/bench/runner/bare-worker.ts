/**
 * A bare TypeScript worker in its own process: the hand-written workflows only, no service, no
 * interpreter. bench:runner compares the runner's memory and CPU per execution with it. Prints
 * "ready" once polling; configured by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and BENCH_TASK_QUEUE.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: process.env.BENCH_TASK_QUEUE ?? 'bench-bare',
  workflowsPath: fileURLToPath(new URL('../handwritten.ts', import.meta.url)),
  // The runner's own worker limits (runner.ts, default --worker-concurrency), so both take the same load.
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentActivityTaskExecutions: 200,
});
const running = worker.run();
console.log('ready -');
process.on('SIGTERM', () => worker.shutdown());
await running;
await connection.close();
