import { expect, test } from 'bun:test';
import { findTemporalCli, TemporalCliNotFoundError } from '../../src/temporal/cli.ts';

const fixture = new URL('./fixtures/own-a-dev-server.ts', import.meta.url).pathname;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function serverPids(watchdogPid: number): Promise<number[]> {
  const out = await Bun.$`pgrep -P ${watchdogPid} -f "server start-dev"`.nothrow().text();
  return out.split('\n').filter(Boolean).map(Number);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await Bun.sleep(100);
  }
  return condition();
}

for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
  test(`the dev server goes away when its owner gets ${signal}`, async () => {
    const owner = Bun.spawn(['bun', fixture], { stdout: 'pipe', stderr: 'inherit' });
    const reader = owner.stdout.getReader();
    const { value } = await reader.read();
    const { pid: watchdogPid } = JSON.parse(new TextDecoder().decode(value)) as { pid: number };
    const [serverPid] = await serverPids(watchdogPid);
    expect(serverPid).toBeNumber();
    expect(isAlive(serverPid!)).toBe(true);

    owner.kill(signal);
    await owner.exited;

    expect(await waitFor(() => !isAlive(serverPid!) && !isAlive(watchdogPid), 10_000)).toBe(true);
  });
}

test('TEMPORAL_CLI_PATH pointing nowhere fails at once, naming the path', async () => {
  const saved = process.env.TEMPORAL_CLI_PATH;
  process.env.TEMPORAL_CLI_PATH = '/nonexistent/temporal';
  try {
    const error = await findTemporalCli(() => {}).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TemporalCliNotFoundError);
    expect((error as Error).message).toContain('/nonexistent/temporal');
  } finally {
    if (saved === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = saved;
  }
});
