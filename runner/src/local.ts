/**
 * `bun run local`: everything a person needs on one machine in one process — the embedded
 * Temporal dev server (persisted under `.baton/`, Web UI on), the runner's worker and its gRPC
 * service. With `--temporal-address` (or TEMPORAL_ADDRESS) it joins that cluster instead and
 * starts no dev server. Takes every runner flag (docs/runner.md) plus the local ones below.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertBunVersion } from './bun-version.ts';
import { DEFAULT_GRPC_ADDRESS, loadConfig, type RunnerConfig } from './config.ts';
import { BATON_SEARCH_ATTRIBUTE_TYPES } from './contract/index.ts';
import type { EgressPolicy } from './egress/index.ts';
import { describePortHolder, isPortFree } from './local/ports.ts';
import { installProcessGuard } from './process-guard.ts';
import { runtimeTelemetry, startRunner, type Runner } from './runner.ts';
import { freePort, startDevServer, type DevServer } from './temporal/dev-server.ts';
import { installTemporalRuntime, sdkLogLevel } from './temporal/runtime.ts';
import { createLogger, defaultLogFormat } from './log/index.ts';
import { encodeTokenKey, generateTokenKey, parseTokenKey } from './token/seal.ts';
import { tracingFor } from './tracing/index.ts';
import type { Tracing } from './tracing/index.ts';
import { encodeCodecKeys, generateCodecKey, parseCodecKeys } from './codec/index.ts';
import type { CodecKey } from './codec/index.ts';

/** How long in-flight work gets to finish or be handed back after Ctrl-C. */
const SHUTDOWN_GRACE_MS = 15_000;

const LOCAL_FLAGS = {
  'data-dir': { type: 'string', default: resolve(import.meta.dir, '../../.baton') },
  'dev-server-port': { type: 'string', default: '7233' },
  'ui-port': { type: 'string', default: '8233' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: readonly string[]): Promise<void> {
  assertBunVersion();
  const { local, runnerArgs } = splitArguments(argv);
  if (local.help) {
    console.log(HELP);
    return;
  }
  const loaded = loadConfig({ argv: runnerArgs });
  if (!loaded.ok) {
    const problems = loaded.problems.map((problem) => (problem.setting === 'argv' ? problem.message : `${problem.setting}: ${problem.message}`));
    throw new Error(`${problems.join('\n')}\n(see \`bun run local --help\`)`);
  }
  // Below WARN, worker and SDK lines would bury the banner: `--log-level info` brings them back.
  const logLevel = loaded.config.logLevel ?? 'warn';
  const log = createLogger({ level: logLevel, format: loaded.config.logFormat ?? defaultLogFormat(), color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR });
  installTemporalRuntime(sdkLogLevel(logLevel), runtimeTelemetry(loaded.config), log);
  const dataDir = local['data-dir'];
  await mkdir(dataDir, { recursive: true });
  const joinsCluster = runnerArgs.includes('--temporal-address') || runnerArgs.some((arg) => arg.startsWith('--temporal-address='))
    || Boolean(process.env.TEMPORAL_ADDRESS);

  const [grpcHost, grpcPort] = splitAddress(loaded.config.grpcAddress);
  await ensurePortFree(grpcHost, grpcPort, 'the runner gRPC service (--grpc-address)');
  // The execution page (and /livez), on loopback unless told otherwise.
  const httpAddress = loaded.config.httpAddress ?? DEFAULT_LOCAL_HTTP_ADDRESS;
  const [httpHost, httpPort] = splitAddress(httpAddress);
  await ensurePortFree(httpHost, httpPort, 'the runner HTTP server and execution page (--http-address)');

  let devServer: DevServer | undefined;
  let config: RunnerConfig = {
    ...loaded.config,
    tokenKey: loaded.config.tokenKey ?? (await persistentTokenKey(dataDir)),
    // On one's own machine the services a workflow calls are usually on loopback too.
    egress: egressChosen(runnerArgs) ? loaded.config.egress : LOCAL_EGRESS,
    codecKeys: loaded.config.codecKeys.length > 0 ? loaded.config.codecKeys : await persistentCodecKeys(dataDir),
    codecAddress: loaded.config.codecAddress ?? `127.0.0.1:${await freePort()}`,
    httpAddress,
  };
  if (!joinsCluster) {
    const port = portOption(local['dev-server-port'], '--dev-server-port');
    const uiPort = portOption(local['ui-port'], '--ui-port');
    await ensurePortFree('127.0.0.1', port, 'the Temporal dev server (--dev-server-port)');
    await ensurePortFree('127.0.0.1', uiPort, 'the Temporal Web UI (--ui-port)');
    const uiOrigin = `http://127.0.0.1:${uiPort}`;
    config = { ...config, codecCorsOrigins: [...config.codecCorsOrigins, uiOrigin, `http://localhost:${uiPort}`] };
    devServer = await startDevServer({
      ui: true,
      port,
      uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      searchAttributes: BATON_SEARCH_ATTRIBUTE_TYPES,
      uiCodecEndpoint: `http://${config.codecAddress}`,
    });
    config = {
      ...config,
      temporal: { connection: { address: devServer.address }, namespace: devServer.namespace },
      ...(devServer.uiUrl && !config.temporalUiUrl ? { temporalUiUrl: devServer.uiUrl } : {}),
    };
  }

  const tracing = await tracingFor(config.tracing);
  let runner: Runner;
  try {
    runner = await startRunner(config, { log, ...(tracing ? { tracing } : {}) });
  } catch (error) {
    await tracing?.shutdown();
    await devServer?.stop();
    throw error;
  }
  installProcessGuard((what, error) =>
    log.error(`${what} (kept serving; please report it)`, { error }),
  );
  printBanner(config, runner, devServer, dataDir);
  installShutdown(runner, devServer, tracing);
  await runner.workerDone;
}

const DEFAULT_LOCAL_HTTP_ADDRESS = '127.0.0.1:8234';

const LOCAL_EGRESS: EgressPolicy = { allow: new Set(['loopback']) };

function egressChosen(runnerArgs: readonly string[]): boolean {
  return runnerArgs.some((arg) => arg === '--egress-allow' || arg.startsWith('--egress-allow=')) || process.env.BATON_EGRESS_ALLOW !== undefined;
}

function splitArguments(argv: readonly string[]) {
  const localNames = new Set(Object.keys(LOCAL_FLAGS).map((name) => `--${name}`));
  const localArgs: string[] = [];
  const runnerArgs: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const name = arg.split('=')[0]!;
    if (localNames.has(name) || arg === '-h') {
      localArgs.push(arg);
      if (!arg.includes('=') && name !== '--help' && arg !== '-h' && index + 1 < argv.length) localArgs.push(argv[++index]!);
    } else {
      runnerArgs.push(arg);
    }
  }
  const { values } = parseArgs({ args: localArgs, options: LOCAL_FLAGS, strict: true });
  return { local: values, runnerArgs };
}

function portOption(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${flag} must be a port number (1–65535), got "${text}"`);
  return port;
}

function splitAddress(address: string): [string, number] {
  const separator = address.lastIndexOf(':');
  return [address.slice(0, separator).replace(/^\[|\]$/g, ''), Number(address.slice(separator + 1))];
}

async function ensurePortFree(host: string, port: number, what: string): Promise<void> {
  if (port === 0 || (await isPortFree(host, port))) return;
  const holder = await describePortHolder(port);
  throw new Error(
    `port ${port} for ${what} is already in use${holder ? ` by ${holder}` : ''}. ` +
      'Is another `bun run local` running? Stop it, or choose other ports (`bun run local --help`).',
  );
}

/** A key kept in the data folder, so callbacks of executions survive a restart of local mode. */
async function persistentTokenKey(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, 'token.key');
  const file = Bun.file(path);
  if (await file.exists()) {
    const key = parseTokenKey(await file.text());
    // Replacing a bad key would orphan every callback sealed with the old one: say so instead.
    if (!(key instanceof Uint8Array)) throw new Error(`${path}: ${key.message}; fix or delete the file`);
    return key;
  }
  const key = generateTokenKey();
  await writeFile(path, `${encodeTokenKey(key)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return key;
}

/**
 * Payload keys kept in the data folder, newest first, one per line, so histories stay readable
 * across restarts. Add a line on top to rotate; keep the old ones for old histories.
 */
async function persistentCodecKeys(dataDir: string): Promise<readonly CodecKey[]> {
  const path = join(dataDir, 'codec.keys');
  const file = Bun.file(path);
  if (await file.exists()) {
    const keys = parseCodecKeys(await file.text());
    if ('code' in keys) throw new Error(`${path}: ${keys.message}; fix the file (deleting it makes the payloads in .baton/temporal.db unreadable)`);
    return keys;
  }
  const key = generateCodecKey();
  await writeFile(path, `${encodeCodecKeys([key])}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return [key];
}

function printBanner(config: RunnerConfig, runner: Runner, devServer: DevServer | undefined, dataDir: string): void {
  const temporalAddress = devServer?.address ?? config.temporal.connection.address ?? '';
  const lines = [
    '',
    'Baton is running.',
    `  gRPC runner      ${runner.grpcAddress}`,
    ...(runner.httpUrl ? [`  Executions page  ${runner.httpUrl}/executions${config.authToken ? ' (sign in with the --auth-token)' : ''}`] : []),
    `  Temporal         ${temporalAddress} (namespace ${runner.namespace}, task queue ${runner.taskQueue})`,
    ...(devServer?.uiUrl ? [`  Web UI           ${devServer.uiUrl}/namespaces/${runner.namespace}/workflows`] : []),
    ...(devServer ? [`  Data             ${relative(process.cwd(), dataDir) || '.'} (executions survive a restart)`] : []),
    ...(runner.codecUrl ? [`  Payload codec    ${runner.codecUrl} (payloads encrypted in history; the Web UI decodes through it)`] : []),
    ...(config.catalogueDir ? [`  Catalogue        ${config.catalogueDir}`] : []),
    ...(config.tracing.enabled ? [`  Tracing          OpenTelemetry, exported to ${config.tracing.exporters.join(' and ')} (OTEL_* variables)`] : []),
    `  Egress           public addresses${[...config.egress.allow].map((range) => ` + ${range}`).join('')} (--egress-allow to change; link-local and metadata never)`,
    '',
    'Try it, in another terminal:',
    `  bun run baton run examples/hello.yaml --input '{"name":"Ada"}'${runner.grpcAddress === DEFAULT_GRPC_ADDRESS ? '' : ` --runner ${runner.grpcAddress}`}`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}

function installShutdown(runner: Runner, devServer: DevServer | undefined, tracing: Tracing | undefined): void {
  let firstSignalAt: number | undefined;
  const shutdown = async (signal: string) => {
    if (firstSignalAt !== undefined) {
      // Ctrl-C reaches us twice at once when `bun run` forwards it too; only a later one forces.
      if (Date.now() - firstSignalAt < 1_000) return;
      console.log('\nStopping at once.');
      await devServer?.stop();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping — letting in-flight work finish (up to ${SHUTDOWN_GRACE_MS / 1000} s; Ctrl-C again to force)`);
    const grace = setTimeout(() => {
      console.log('Grace period over; stopping now.');
      void devServer?.stop().finally(() => process.exit(1));
    }, SHUTDOWN_GRACE_MS);
    try {
      await runner.stop();
      // The last spans (the executions just drained) go out before the process ends.
      await tracing?.shutdown();
    } finally {
      clearTimeout(grace);
      await devServer?.stop();
      console.log('Stopped.');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

const HELP = `bun run local — start Baton on this machine

Starts the Temporal dev server (Web UI on, data kept in --data-dir), the runner's worker and its
gRPC service, all in this process. Ctrl-C stops everything.

Local options:
  --data-dir DIR          where the dev server keeps its database, the token key and the payload
                          keys (codec.keys) (default .baton/)
  --dev-server-port PORT  Temporal dev server gRPC port (default 7233)
  --ui-port PORT          Temporal Web UI port (default 8233)

Every runner option works too (docs/runner.md), for example:
  --grpc-address HOST:PORT   where the runner listens (default 127.0.0.1:50051)
  --http-address HOST:PORT   the execution page and /livez (local mode: 127.0.0.1:8234)
  --catalogue DIR            documents that \`run: workflow\` may start
  --egress-allow RANGES      where workflows' calls may go besides public addresses
                             (local mode: loopback unless given; \`--egress-allow ''\` for public only)
  --temporal-address H:P     use this Temporal cluster instead of the dev server

Examples:
  bun run local
  bun run local --catalogue examples/catalogue
  bun run local --temporal-address temporal.internal:7233 --temporal-namespace baton`;

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`baton local: ${message}`);
  process.exit(1);
});
