/**
 * Runs once per `bun test` process: starts one Temporal dev server (in-memory database) for the
 * whole run and hands its address and namespace to the tests through the environment.
 * Set BATON_TEST_TEMPORAL_ADDRESS to run the tests against a server you started yourself.
 */
import { afterAll } from 'bun:test';
import type { LogLevel } from '@temporalio/worker';
import { assertBunVersion } from '../runner/src/bun-version.ts';
import { startDevServer } from '../runner/src/temporal/dev-server.ts';
import { installTemporalRuntime } from '../runner/src/temporal/runtime.ts';
import { TEST_SEARCH_ATTRIBUTES } from './search-attributes.ts';

assertBunVersion();
installTemporalRuntime((process.env.BATON_TEST_LOG_LEVEL as LogLevel | undefined) ?? 'WARN');

const external = process.env.BATON_TEST_TEMPORAL_ADDRESS;
if (external) {
  process.env.TEMPORAL_ADDRESS = external;
  process.env.TEMPORAL_NAMESPACE ??= 'default';
} else {
  const server = await startDevServer({ namespace: 'default', searchAttributes: TEST_SEARCH_ATTRIBUTES });
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  afterAll(() => server.stop());
}
