/**
 * `call: activity` reaching code written in Go: a worker built from go-activity/ (Temporal's Go
 * SDK, nothing of Baton) serves activities on its own task queue. Without a Go toolchain it says
 * so and skips; it never passes silently.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { compileYaml, failureOf, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const MODULE_DIR = new URL('./go-activity', import.meta.url).pathname;
/** The first build compiles the Temporal Go SDK: minutes on a cold cache. */
const BUILD_TIMEOUT_MS = 600_000;

const go = Bun.which('go');
if (!go) console.warn('SKIP call: activity in Go: no `go` on PATH, so the Go activity was NOT tested (install Go 1.26+ to run it)');

let harness: Harness;
let worker: Bun.Subprocess<'pipe', 'pipe', 'inherit'> | undefined;
let folder: string;
const queue = uniqueTaskQueue('go-activities');

beforeAll(async () => {
  if (!go) return;
  folder = mkdtempSync(join(tmpdir(), 'baton-go-activity-'));
  const binary = join(folder, 'go-activity');
  const build = Bun.spawn([go, 'build', '-o', binary, '.'], { cwd: MODULE_DIR, stdout: 'inherit', stderr: 'inherit' });
  expect(await build.exited).toBe(0);
  const { address, namespace } = testTemporal();
  worker = Bun.spawn([binary], { env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TASK_QUEUE: queue }, stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  process.once('exit', () => worker?.kill('SIGKILL'));
  const reader = worker.stdout.getReader();
  let printed = '';
  while (!printed.includes('ready')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the Go worker stopped before it was ready: ${printed}`);
    printed += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  harness = await startHarness('go-activity');
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await harness?.stop();
  if (worker) {
    worker.stdin.end();
    await worker.exited;
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const workflow = (name: string, args: string) => `
document: {dsl: 1.0.3, namespace: test, name: go-activity, version: 1.0.0}
do:
  - callGo:
      call: activity
      with:
        name: ${name}
        arguments: ${args}
        options:
          taskQueue: ${queue}
          scheduleToCloseTimeout: 30s
`;

test.skipIf(!go)('a Go activity gets the arguments and its struct comes back as JSON', async () => {
  const handle = await harness.start(compileYaml(workflow('GoGreet', `['\${ .name }', 2]`), 'go.yaml'), { name: 'Ada' });
  expect(await handle.result()).toEqual({ message: 'Hello, Ada! Hello, Ada! ', length: 3 });
});

test.skipIf(!go)("a Go application error is a runtime error titled with the error's type", async () => {
  const handle = await harness.start(compileYaml(workflow('GoRefuse', `['\${ .name }']`), 'go.yaml'), { name: 'Ada' });
  expect(await failureOf(handle)).toMatchObject({
    type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
    title: 'GoRefusal',
    detail: 'refused: Ada',
    instance: '/do/0/callGo',
  });
});
