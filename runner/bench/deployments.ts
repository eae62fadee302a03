/**
 * `bun run bench:deployments`: what deployments cost on a dev server started here (or
 * TEMPORAL_ADDRESS), and the two ways of reading one that the design chose between:
 *   - deploy of a new document (Update-with-Start of its registry workflow), an unchanged redeploy
 *     (the same Update, answered "nothing changed"), and a changed redeploy with a schedule;
 *   - reading the document by the registry's query (what a start by reference does) against
 *     reading the registry's memo by describe, and listing N deployments through visibility;
 *   - executeAsync by reference against executeAsync with the YAML, up to the start.
 * Medians of BENCH_RUNS (default 40) after a warm-up; figures only, no targets.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { defaultConfig } from '../src/config.ts';
import { startRunner } from '../src/runner.ts';
import { startDevServer } from '../src/temporal/dev-server.ts';
import type { DevServer } from '../src/temporal/dev-server.ts';
import { deploymentQuery, deploymentWorkflowId } from '../src/contract/index.ts';
import { connectRunner } from '../test/service/support/grpc-client.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
Runtime.install({ logger: new DefaultLogger('ERROR') });

let devServer: DevServer | undefined;
let address = process.env.TEMPORAL_ADDRESS;
if (!address) {
  devServer = await startDevServer({ namespace: 'default' });
  address = devServer.address;
}
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const ns = `bench-${Date.now().toString(36)}`;
const runner = await startRunner(
  defaultConfig({ grpcAddress: '127.0.0.1:0', temporal: { connection: { address }, namespace }, taskQueue: `bench-deploy-${ns}` }),
  { log: { info: () => undefined, warn: () => undefined } },
);
const grpc = connectRunner(runner.grpcAddress);
const connection = await Connection.connect({ address });
const temporal = new Client({ connection, namespace });

type Callback<T> = (error: Error | null, value: T) => void;
const call = <T>(method: string, request: unknown) =>
  new Promise<T>((resolve, reject) =>
    (grpc.raw as unknown as Record<string, (r: unknown, cb: Callback<T>) => void>)[method]!.call(grpc.raw, request, (e, v) => (e ? reject(e) : resolve(v))),
  );
const doc = (name: string, extra = '') => `document: { dsl: '1.0.3', namespace: ${ns}, name: ${name}, version: '1.0.0' }
${extra}do:
  - answer:
      set:
        ok: true
`;

async function median(label: string, work: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await work(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const began = performance.now();
    await work(i);
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  const value = times[Math.floor(times.length / 2)]!;
  console.log(`${label.padEnd(58)} ${value.toFixed(1).padStart(7)} ms`);
  return value;
}

try {
  await median('deploy, new document', (i) => call('deploy', { workflowYaml: doc(`new-${i + 10}`) }));
  await median('deploy, unchanged (idempotent)', () => call('deploy', { workflowYaml: doc('new-10') }));
  await median('deploy, changed, with schedule (create/update)', (i) =>
    call('deploy', { workflowYaml: doc('scheduled', `schedule:\n  cron: '${(i + 3) % 60} 1 * * *'\n`) }),
  );
  const handle = temporal.workflow.getHandle(deploymentWorkflowId({ namespace: ns, name: 'new-10', version: '1.0.0' }));
  const query = await median('read by query (needs a worker)', () => handle.query(deploymentQuery));
  const memo = await median('read memo by describe (no worker)', () => handle.describe());
  console.log(`${'query / describe'.padEnd(58)} ${(query / memo).toFixed(2).padStart(7)}×`);
  await median(`list deployments (${RUNS + 4} of them, visibility + memo)`, () => call('listDeployments', { namespace: ns }));
  const reference = { namespace: ns, name: 'new-10', version: '1.0.0' };
  const byRef = await median('executeAsync by reference', (i) => grpc.executeAsync({ workflowExecutionId: `${ns}-ref-${i}`, workflowReference: reference }));
  const byYaml = await median('executeAsync with the YAML', (i) => grpc.executeAsync({ workflowExecutionId: `${ns}-yaml-${i}`, workflowYaml: doc('new-10') }));
  console.log(`${'by reference / with YAML'.padEnd(58)} ${(byRef / byYaml).toFixed(2).padStart(7)}×`);
} finally {
  grpc.close();
  await runner.stop();
  await connection.close();
  await devServer?.stop();
}
