/**
 * Runner replicas and bare workers as separate processes, and what the kernel says each one
 * used (CPU seconds, resident memory): bench:runner's footprint figures are per process, not
 * mixed with the benchmark's own client work.
 */
import { readFileSync } from 'node:fs';
import type { Subprocess } from 'bun';

export interface BenchProcess {
  readonly pid: number;
  /** What the process printed after "ready" (a runner's gRPC address). */
  readonly address: string;
  stop(): Promise<void>;
}

/** Starts `bun <script>` with `env` and waits for its "ready <address>" line. */
export function startBunScript(script: URL, env: Record<string, string>): Promise<BenchProcess> {
  return startProcess(['bun', script.pathname], env);
}

/** Starts `command` with `env` and waits for its "ready <address>" line. */
export async function startProcess(command: readonly string[], env: Record<string, string>): Promise<BenchProcess> {
  const child: Subprocess<'ignore', 'pipe', 'inherit'> = Bun.spawn([...command], {
    env: { ...process.env, ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const reader = child.stdout.getReader();
  let seen = '';
  while (!/ready \S+\n/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${command.join(' ')} exited before it was ready (code ${await child.exited})`);
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    pid: child.pid,
    address: /ready (\S+)\n/.exec(seen)![1]!,
    async stop() {
      child.kill('SIGKILL');
      await child.exited;
    },
  };
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of the process in MiB, from /proc. */
export function residentMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) / 1024;
}

/** USER_HZ: 100 on every Linux architecture Bun runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
