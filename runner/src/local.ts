/**
 * `bun run local`: everything a person needs on one machine — for now the embedded Temporal dev
 * server with its Web UI, persisted under `.baton/` so executions survive a restart.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertBunVersion } from './bun-version.ts';
import { TemporalCliNotFoundError } from './temporal/cli.ts';
import { startDevServer } from './temporal/dev-server.ts';

const DATA_DIR = resolve(import.meta.dir, '../../.baton');

async function main(): Promise<void> {
  assertBunVersion();
  await mkdir(DATA_DIR, { recursive: true });
  const server = await startDevServer({ ui: true, port: 7233, uiPort: 8233, dbFile: join(DATA_DIR, 'temporal.db') });
  console.log(`Temporal dev server  ${server.address} (namespace ${server.namespace})`);
  console.log(`Temporal Web UI      ${server.uiUrl}`);
  console.log('Press Ctrl-C to stop.');
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof TemporalCliNotFoundError || error instanceof Error ? error.message : String(error);
  console.error(`baton local: ${message}`);
  process.exit(1);
});
