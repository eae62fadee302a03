/** Port checks for local mode, so a second `bun run local` explains itself instead of crashing. */
import { createServer } from 'node:net';

export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** "pid 1234 (bun runner/src/local.ts)" for the process listening on the port, when `lsof` can tell. */
export async function describePortHolder(port: number): Promise<string | undefined> {
  if (!Bun.which('lsof')) return undefined;
  const pid = (await Bun.$`lsof -nP -iTCP:${port} -sTCP:LISTEN -t`.nothrow().quiet().text()).trim().split('\n')[0];
  if (!pid) return undefined;
  const command = (await Bun.$`ps -o args= -p ${pid}`.nothrow().quiet().text()).trim();
  return `pid ${pid}${command ? ` (${command.length > 80 ? `${command.slice(0, 77)}...` : command})` : ''}`;
}
