import { afterAll, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/temporal/dev-server.ts';
import { baton, startLocalStack, type LocalStack } from './local-stack.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'baton-local-'));
const stacks: LocalStack[] = [];

afterAll(async () => {
  for (const stack of stacks) if (stack.process.exitCode === null) await stack.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

function processesUsing(dir: string): Promise<string> {
  return Bun.$`pgrep -fa -- ${dir}`.nothrow().quiet().text();
}

/** Local mode with its own embedded dev server (not the test run's), on free ports. */
async function startEmbedded(devServerPort: number, uiPort: number): Promise<LocalStack> {
  const stack = await startLocalStack({
    args: ['--data-dir', dataDir, '--dev-server-port', String(devServerPort), '--ui-port', String(uiPort)],
    env: { TEMPORAL_ADDRESS: undefined, TEMPORAL_NAMESPACE: undefined },
  });
  stacks.push(stack);
  return stack;
}

test('local mode prints its addresses, stops cleanly on Ctrl-C, and keeps executions across a restart', async () => {
  const [devServerPort, uiPort] = [await freePort(), await freePort()];
  const first = await startEmbedded(devServerPort, uiPort);
  expect(first.output()).toContain(`gRPC runner      ${first.grpcAddress}`);
  expect(first.output()).toContain(`Temporal         127.0.0.1:${devServerPort}`);
  expect(first.output()).toContain(`Web UI           http://127.0.0.1:${uiPort}/namespaces/default/workflows`);
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).ok).toBe(true);

  const id = `persisted-${crypto.randomUUID()}`;
  const run = await baton(['run', 'examples/hello.yaml', '--input', '{"name":"Lin"}', '--id', id, '--runner', first.grpcAddress]);
  expect(run.exitCode).toBe(0);
  // The execution page: its URL printed, the run linked to it, the Web UI linked from it.
  expect(first.output()).toContain(`Executions page  ${first.httpUrl}/executions`);
  expect(run.stdout).toContain(`${first.httpUrl}/executions/${id}`);
  const page = await (await fetch(`${first.httpUrl}/executions/${id}`)).text();
  expect(page).toContain('data-state="COMPLETED"');
  expect(page).toContain(`http://127.0.0.1:${uiPort}/namespaces/default/workflows/${id}/`);
  await expectWebUiDecodes(first, devServerPort, uiPort, id);

  const second = await startLocalStack({ args: ['--data-dir', dataDir, '--dev-server-port', String(devServerPort), '--ui-port', String(uiPort)], env: { TEMPORAL_ADDRESS: undefined } }).catch(
    (error: Error) => error,
  );
  expect(second).toBeInstanceOf(Error);
  expect((second as Error).message).toMatch(/port \d+ for .* is already in use by pid \d+/);

  expect(await first.stop('SIGINT')).toBe(0);
  expect(first.output()).toContain('Stopped.');
  const deadline = Date.now() + 10_000;
  while ((await processesUsing(dataDir)).trim() && Date.now() < deadline) await Bun.sleep(100);
  expect((await processesUsing(dataDir)).trim()).toBe('');

  const restarted = await startEmbedded(devServerPort, uiPort);
  const status = await baton(['status', id, '--json', '--runner', restarted.grpcAddress]);
  expect(status.exitCode).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ phase: 'completed', output: { greeting: 'Hello, Lin!', length: 3 } });
  expect(await restarted.stop('SIGTERM')).toBe(0);
}, 120_000);

/**
 * Payloads are encrypted in the dev server's history, the Web UI is configured with the runner's
 * codec endpoint, and that endpoint decodes them for the UI's origin — what the UI does to show them.
 */
async function expectWebUiDecodes(stack: LocalStack, devServerPort: number, uiPort: number, executionId: string): Promise<void> {
  expect(stack.output()).toContain('Egress           public addresses + loopback');
  const codecUrl = /Payload codec {4}(http:\/\/127\.0\.0\.1:\d+)/.exec(stack.output())?.[1];
  expect(codecUrl).toBeDefined();
  expect(await Bun.file(join(dataDir, 'codec.keys')).exists()).toBe(true);
  const settings = await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).text();
  expect(settings).toContain(codecUrl!);

  const connection = await Connection.connect({ address: `127.0.0.1:${devServerPort}` });
  try {
    const history = await new Client({ connection }).workflow.getHandle(executionId).fetchHistory();
    const result = history.events?.find((event) => event.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
    expect(Buffer.from(result!.data!).toString('latin1')).not.toContain('Hello, Lin!');
    const uiOrigin = `http://127.0.0.1:${uiPort}`;
    const answer = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: uiOrigin },
      body: JSON.stringify({
        payloads: [{ metadata: Object.fromEntries(Object.entries(result!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(result!.data!).toString('base64') }],
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const { payloads } = (await answer.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toContain('Hello, Lin!');
  } finally {
    await connection.close();
  }
}

test('bad local-mode flags or a damaged token key fail at once with a sentence, before anything starts', async () => {
  const damagedDir = await mkdtemp(join(tmpdir(), 'baton-local-damaged-'));
  await Bun.write(join(damagedDir, 'token.key'), 'not a key\n');
  for (const [args, expected] of [
    [['--data-dir', dataDir, '--dev-server-port', 'abc'], '--dev-server-port must be a port number (1–65535), got "abc"'],
    [['--data-dir', dataDir, '--frobnicate'], "Unknown option '--frobnicate'"],
    [['--data-dir', damagedDir, '--grpc-address', '127.0.0.1:0'], 'token.key: the token key must be base64 of exactly 32 bytes'],
  ] as const) {
    const child = Bun.spawn(['bun', 'runner/src/local.ts', ...args], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, TEMPORAL_ADDRESS: '' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    expect(exitCode).toBe(1);
    expect(stderr).toContain(expected);
    expect(stderr).not.toContain('    at ');
  }
  expect(await Bun.file(join(damagedDir, 'token.key')).text()).toBe('not a key\n');
  await rm(damagedDir, { recursive: true, force: true });
});
