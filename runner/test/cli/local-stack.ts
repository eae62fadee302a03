/** Runs `bun run local` as a subprocess for tests, and the `baton` CLI against it. */
import { freePort } from '../../src/temporal/dev-server.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface LocalStack {
  readonly grpcAddress: string;
  /** Base URL of the runner's HTTP server (the execution page). */
  readonly httpUrl: string;
  readonly process: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  /** Everything local mode printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export interface LocalStackOptions {
  /** Extra `bun run local` arguments. */
  readonly args?: readonly string[];
  /** Environment changes; `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const grpcAddress = `127.0.0.1:${await freePort()}`;
  // Not local mode's fixed default port: tests (and other checkouts) run side by side.
  const httpAddress = `127.0.0.1:${await freePort()}`;
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[key];
  const child = Bun.spawn(['bun', 'runner/src/local.ts', '--grpc-address', grpcAddress, '--http-address', httpAddress, ...(options.args ?? [])], {
    cwd: ROOT,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  // A failing or interrupted test run must not leave a runner behind.
  process.once('exit', () => child.kill('SIGKILL'));
  let printed = '';
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) printed += decoder.decode(chunk);
  };
  void collect(child.stdout);
  void collect(child.stderr);

  const deadline = Date.now() + 60_000;
  while (!printed.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local mode did not start:\n${printed}`);
    }
    await Bun.sleep(50);
  }
  return {
    grpcAddress,
    httpUrl: `http://${httpAddress}`,
    process: child,
    output: () => printed,
    async stop(signal = 'SIGINT') {
      child.kill(signal);
      return child.exited;
    },
  };
}

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function baton(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = Bun.spawn(['bun', 'runner/src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}
