/**
 * A real Mosquitto broker for a test: Debian's `mosquitto` on a free loopback port, anonymous
 * clients allowed and one user from a password file (so a wrong password is refused). Stopped by
 * the test; `available` is false (with the reason) when the package is not installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';
const READY_WITHIN_MS = 10_000;

export const mosquittoMissing: string | undefined = Bun.which(MOSQUITTO) === null ? `${MOSQUITTO} is missing (Debian package mosquitto)` : undefined;

export interface Broker {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startMosquitto(user: { readonly name: string; readonly password: string }): Promise<Broker> {
  const folder = mkdtempSync(join(tmpdir(), 'baton-mosquitto-'));
  const passwords = join(folder, 'passwords');
  writeFileSync(passwords, '');
  const added = Bun.spawnSync([MOSQUITTO_PASSWD, '-b', passwords, user.name, user.password]);
  if (added.exitCode !== 0) throw new Error(`mosquitto_passwd failed: ${added.stderr.toString()}`);
  const port = await freePort();
  const config = join(folder, 'mosquitto.conf');
  writeFileSync(config, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    `password_file ${passwords}`,
    'persistence false',
    // As root, mosquitto would switch to its own user, who cannot read this private folder.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'log_dest stderr',
    '',
  ].join('\n'));
  const broker = Bun.spawn([MOSQUITTO, '-c', config], { stdout: 'ignore', stderr: 'pipe' });
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!(await accepts(port))) {
    if (broker.exitCode !== null || Date.now() > deadline) {
      broker.kill();
      throw new Error(`mosquitto did not start: ${await new Response(broker.stderr).text()}`);
    }
    await Bun.sleep(50);
  }
  return {
    port,
    async stop() {
      broker.kill();
      await broker.exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
