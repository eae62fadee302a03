/**
 * The stack a service test runs against: a runner (worker + gRPC service) on the harness's dev
 * server, a gRPC client over loopback, and the test caller on its own task queue.
 */
import { testTemporal } from '../../../../test/temporal-env.ts';
import { defaultConfig } from '../../../src/config.ts';
import type { RunnerConfig } from '../../../src/config.ts';
import { startRunner } from '../../../src/runner.ts';
import type { Runner, RunnerRole } from '../../../src/runner.ts';
import { startCallerSide } from './caller.ts';
import type { CallerSide } from './caller.ts';
import { connectRunner } from './grpc-client.ts';
import type { RunnerClient } from './grpc-client.ts';

export const quietLog = { info: () => undefined, warn: () => undefined };

let queues = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(queues++).toString(36)}`;
}

export function testConfig(overrides: Partial<RunnerConfig> = {}): RunnerConfig {
  return defaultConfig({
    grpcAddress: '127.0.0.1:0',
    temporal: { connection: { address: testTemporal().address }, namespace: testTemporal().namespace },
    taskQueue: uniqueName('baton'),
    heartbeatIntervalMs: 500,
    ...overrides,
  });
}

export interface Stack {
  readonly runner: Runner;
  readonly client: RunnerClient;
  readonly config: RunnerConfig;
  stop(): Promise<void>;
}

export async function startStack(overrides: Partial<RunnerConfig> = {}, role: RunnerRole = 'all'): Promise<Stack> {
  const config = testConfig(overrides);
  const runner = await startRunner(config, { role, log: quietLog });
  const client = connectRunner(runner.grpcAddress, config.authToken);
  return {
    runner,
    client,
    config,
    async stop() {
      client.close();
      await runner.stop();
    },
  };
}

export async function startCaller(stack: Stack, namespace = testTemporal().namespace): Promise<CallerSide> {
  return startCallerSide({ address: testTemporal().address, namespace, runner: stack.client, taskQueue: uniqueName('caller') });
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) return last;
    await Bun.sleep(100);
    last = await probe();
  }
  return last;
}
