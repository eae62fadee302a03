/**
 * Runs once per `bun test` process: starts one Temporal dev server (in-memory database) for the
 * whole run and hands its address and namespace to the tests through the environment.
 * Set BATON_TEST_TEMPORAL_ADDRESS to run the tests against a server you started yourself.
 */
import { afterAll } from 'bun:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { assertBunVersion } from '../runner/src/bun-version.ts';
import { startDevServer } from '../runner/src/temporal/dev-server.ts';

assertBunVersion();
Runtime.install({ logger: new DefaultLogger((process.env.BATON_TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });

const external = process.env.BATON_TEST_TEMPORAL_ADDRESS;
if (external) {
  process.env.TEMPORAL_ADDRESS = external;
  process.env.TEMPORAL_NAMESPACE ??= 'default';
} else {
  const server = await startDevServer({ namespace: 'default' });
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  afterAll(() => server.stop());
}
