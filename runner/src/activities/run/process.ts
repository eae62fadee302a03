/**
 * One process run for a task: started in a process group of its own, its output read with a cap,
 * and the whole group stopped (TERM, then KILL after a grace period) when the task is cancelled,
 * times out, overflows its cap, or when the main process ends — nothing it started outlives the
 * task. A program that leaves its process group on purpose (setsid, daemons) escapes this; a
 * container does not (its runtime is told to kill it, see container.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Between TERM and KILL: long enough for a clean exit, short enough to keep cancellations prompt. */
const KILL_GRACE_MS = 2_000;
/** Kept of stderr when it is not returned, for the error of a failed process. */
export const STDERR_TAIL_BYTES = 2_000;
/** After the main process ends, how long stray holders of its pipes may keep them before they are cut. */
const PIPE_DRAIN_MS = 1_000;

export interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdin?: string;
  /** The streams returned to the workflow: held whole up to `outputBytes`, past which the run stops. */
  readonly returned: { readonly stdout: boolean; readonly stderr: boolean };
  readonly outputBytes: number;
  /** The run is stopped after this long. */
  readonly timeoutMs: number;
  /** Cancellation (the activity's). */
  readonly signal?: AbortSignal;
  /** Called once when the run is stopped early (containers: tell the runtime to kill the container). */
  readonly onStop?: () => Promise<void>;
}

export type ProcessEnd =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'overflow'; readonly stream: 'stdout' | 'stderr'; readonly stderr: string }
  | { readonly kind: 'timedOut'; readonly stderr: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failedToStart'; readonly message: string };

export async function runProcess(spec: ProcessSpec): Promise<ProcessEnd> {
  if (spec.signal?.aborted) return { kind: 'cancelled' };
  let child: ChildProcess;
  try {
    child = spawn(spec.file, [...spec.args], { cwd: spec.cwd, env: { ...spec.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return { kind: 'failedToStart', message: error instanceof Error ? error.message : String(error) };
  }
  const stdout = new Capture(spec.returned.stdout ? spec.outputBytes : 0, false);
  const stderr = new Capture(spec.returned.stderr ? spec.outputBytes : STDERR_TAIL_BYTES, !spec.returned.stderr);
  let stopped: Exclude<ProcessEnd['kind'], 'exited' | 'failedToStart'> | undefined;
  let overflowed: 'stdout' | 'stderr' = 'stdout';
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = (why: NonNullable<typeof stopped>) => {
    if (stopped || child.exitCode !== null || child.signalCode !== null) return;
    stopped = why;
    spec.onStop?.().catch(() => undefined);
    signalGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
  };

  const started = new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  const startError = await started;
  if (startError) return { kind: 'failedToStart', message: startError.message };

  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
  const drained = Promise.all([streamEnd(child.stdout), streamEnd(child.stderr)]);
  child.stdout?.on('data', (chunk: Buffer) => {
    if (!stdout.add(chunk)) {
      overflowed = 'stdout';
      stop('overflow');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!stderr.add(chunk)) {
      overflowed = 'stderr';
      stop('overflow');
    }
  });
  child.stdin?.on('error', () => undefined); // a process that exits without reading its input
  child.stdin?.end(spec.stdin ?? '');

  const timeout = setTimeout(() => stop('timedOut'), spec.timeoutMs);
  const onAbort = () => stop('cancelled');
  spec.signal?.addEventListener('abort', onAbort);
  try {
    const code = await exited;
    // The main process is gone: whatever it left running in its group goes with it.
    signalGroup(child, 'SIGKILL');
    await Promise.race([drained, sleep(PIPE_DRAIN_MS)]);
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (stopped === 'cancelled') return { kind: 'cancelled' };
    if (stopped === 'timedOut') return { kind: 'timedOut', stderr: stderr.text() };
    if (stopped === 'overflow') return { kind: 'overflow', stream: overflowed, stderr: stderr.text() };
    return { kind: 'exited', code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    clearTimeout(timeout);
    if (killTimer) clearTimeout(killTimer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Starts a process that the task does not wait for (`await: false`): its output is discarded, and
 * its group is still stopped at the policy's time limit. Resolves once it has started.
 */
export async function startDetached(
  spec: Omit<ProcessSpec, 'returned' | 'outputBytes' | 'signal'> & { readonly onExit?: () => void },
): Promise<{ readonly pid: number } | { readonly failed: string }> {
  let child: ChildProcess;
  try {
    child = spawn(spec.file, [...spec.args], { cwd: spec.cwd, env: { ...spec.env }, detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
  const startError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (startError || child.pid === undefined) return { failed: startError?.message ?? 'the process did not start' };
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(spec.stdin ?? '');
  const limit = setTimeout(() => {
    spec.onStop?.().catch(() => undefined);
    signalGroup(child, 'SIGTERM');
    setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref();
  }, spec.timeoutMs);
  limit.unref();
  child.once('exit', () => {
    clearTimeout(limit);
    signalGroup(child, 'SIGKILL');
    spec.onExit?.();
  });
  child.unref();
  return { pid: child.pid };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function streamEnd(stream: NodeJS.ReadableStream | null): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', resolve);
    stream.once('end', resolve);
    stream.once('error', () => resolve());
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Bytes of one stream: the first `limit` (add says false past it), or when `tail`, the last `limit`. */
class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly limit: number,
    private readonly tail: boolean,
  ) {}

  add(chunk: Buffer): boolean {
    if (this.tail) {
      this.chunks.push(chunk);
      this.size += chunk.length;
      while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) this.size -= this.chunks.shift()!.length;
      return true;
    }
    if (this.size + chunk.length > this.limit) return this.limit === 0;
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  text(): string {
    const bytes = Buffer.concat(this.chunks);
    return (this.tail && bytes.length > this.limit ? bytes.subarray(bytes.length - this.limit) : bytes).toString('utf8');
  }
}
