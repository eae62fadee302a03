/**
 * Starts `temporal server start-dev` on free loopback ports and makes sure it dies with us.
 *
 * The server runs under a tiny shell watchdog that stops it when the owning process disappears,
 * even when the owner is killed with SIGKILL and never gets to clean up.
 */
import { Connection } from '@temporalio/client';
import { createServer } from 'node:net';
import { findTemporalCli, type Progress } from './cli.ts';

export interface DevServerOptions {
  /** SQLite file for persistence; omitted means an in-memory database. */
  readonly dbFile?: string;
  /** Serve the Web UI (on a free port unless `uiPort` is given). */
  readonly ui?: boolean;
  readonly port?: number;
  readonly uiPort?: number;
  /** The Web UI decodes payloads through this remote codec endpoint (e.g. the runner's). */
  readonly uiCodecEndpoint?: string;
  readonly namespace?: string;
  /** Custom search attributes to register, name → Temporal's type name (`Keyword`, `Int`, `Datetime` …). */
  readonly searchAttributes?: Readonly<Record<string, DevSearchAttributeType>>;
  readonly readyTimeoutMs?: number;
  readonly onProgress?: Progress;
}

export type DevSearchAttributeType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServer {
  /** host:port of the frontend gRPC service. */
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl?: string;
  /** The watchdog's pid; the server process is its only child. */
  readonly pid: number;
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
}

const WATCHDOG = `
"$@" & server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server; exit 0' TERM INT HUP
while kill -0 "$BATON_OWNER_PID" 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1 & wait $!; done
kill -TERM $server 2>/dev/null; wait $server
`;

const running = new Set<{ kill(): void }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const server of running) server.kill();
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const binary = await findTemporalCli(options.onProgress);
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const args = [binary, 'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = options.uiPort ?? (await freePort());
    args.push('--ui-ip', '127.0.0.1', '--ui-port', String(uiPort));
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
    uiUrl = `http://127.0.0.1:${uiPort}`;
  } else {
    args.push('--headless');
  }

  const child = Bun.spawn(['sh', '-c', WATCHDOG, 'baton-temporal-watchdog', ...args], {
    env: { ...process.env, BATON_OWNER_PID: String(process.pid) },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const handle = { kill: () => child.kill('SIGTERM') };
  running.add(handle);
  installExitHook();
  const logTail = collectTail(child.stdout, child.stderr);

  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    running.delete(handle);
    child.kill('SIGTERM');
    await child.exited;
  };
  try {
    await waitUntilReady(address, namespace, child.exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DevServerStartError(`The Temporal dev server did not start on ${address}: ${reason}${logTail.format()}`);
  }
  return { address, namespace, ...(uiUrl ? { uiUrl } : {}), pid: child.pid, stop };
}

async function waitUntilReady(
  address: string,
  namespace: string,
  exited: Promise<number>,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    if (await portAcceptsConnections(address)) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace });
          return;
        } finally {
          await connection.close();
        }
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    await Bun.sleep(100);
  }
  throw new Error(`not ready after ${timeoutMs} ms (last error: ${lastError})`);
}

async function portAcceptsConnections(address: string): Promise<boolean> {
  const [hostname, port] = address.split(':');
  try {
    const socket = await Bun.connect({ hostname: hostname!, port: Number(port), socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/** Asks the kernel for a free port. Another process may take it before we bind; rare enough here. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function collectTail(...streams: ReadableStream<Uint8Array>[]) {
  const lines: string[] = [];
  for (const stream of streams) {
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        for (const line of decoder.decode(chunk).split('\n')) {
          if (!line.trim()) continue;
          lines.push(line);
          if (lines.length > 20) lines.shift();
        }
      }
    })();
  }
  return { format: () => (lines.length ? `\n--- server output ---\n${lines.join('\n')}` : '') };
}
