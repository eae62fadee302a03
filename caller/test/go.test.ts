/**
 * Runs the Go caller's own tests (`go test` in caller/go) against this run's dev server and a real
 * runner started here, so `bun test` covers the Go caller too. Without a Go toolchain it says so
 * and skips; it never passes silently.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testTemporal, uniqueTaskQueue } from '../../test/temporal-env.ts';
import { createRunnerActivities } from '../src/index.ts';
import { startRunnerStack } from './fixtures/runner-stack.ts';
import type { RunnerStack } from './fixtures/runner-stack.ts';

const GO_MODULE_DIR = new URL('../go', import.meta.url).pathname;
/** The first build compiles the Temporal Go SDK: minutes on a cold cache. */
const GO_TEST_TIMEOUT_MS = 600_000;

const go = Bun.which('go');
if (!go) console.warn('SKIP caller/go: no `go` on PATH, so the Go caller was NOT tested (install Go 1.26+ to run it)');

let stack: RunnerStack | undefined;
/** The Go caller talks to a runner that requires a bearer token, so its token path is tested too. */
const runnerToken = `go-caller-${crypto.randomUUID()}`;

beforeAll(async () => {
  if (go) stack = await startRunnerStack({ authToken: runnerToken });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

test.skipIf(!go)('the Go caller passes its tests against the real runner and dev server', async () => {
  const { address, namespace } = testTemporal();
  // The TypeScript activity, served here for the Go workflow that schedules it (interchangeability).
  const tsActivityQueue = uniqueTaskQueue('typescript-caller-activity');
  const handle = createRunnerActivities({ runner: stack!.address, token: runnerToken });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: tsActivityQueue,
    identity: `typescript-caller@${process.pid}`,
    activities: handle.activities,
    interceptors: { activity: handle.activityInterceptors },
  });
  try {
    const exitCode = await worker.runUntil(async () => {
      const child = Bun.spawn([go!, 'test', '-count=1', '-v', './...'], {
        cwd: GO_MODULE_DIR,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: namespace,
          BATON_RUNNER_ADDRESS: stack!.address,
          BATON_RUNNER_TOKEN: runnerToken,
          BATON_TS_ACTIVITY_QUEUE: tsActivityQueue,
        },
        stdout: 'inherit',
        stderr: 'inherit',
      });
      return child.exited;
    });
    expect(exitCode).toBe(0);
  } finally {
    handle.close();
    await connection.close();
  }
}, GO_TEST_TIMEOUT_MS);
