/**
 * What the three process activities share: a fresh working folder, a minimal environment (never
 * the runner's own, which holds its secrets), heartbeats while the process runs (they are what
 * delivers a cancellation), the time limit, and `await: false`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { RunPolicy } from './policy.ts';
import { runProcess, startDetached } from './process.ts';
import type { ProcessSpec } from './process.ts';
import { processFailure, shapeOutput } from './outcome.ts';
import type { ProcessOutput } from '../../contract/index.ts';

const HEARTBEAT_EVERY_MS = 1_000;

export interface ProcessLaunch {
  readonly what: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly onStop?: () => Promise<void>;
}

interface Task {
  readonly taskReference: string;
  readonly return: 'stdout' | 'stderr' | 'code' | 'all' | 'none';
  readonly await: boolean;
  readonly timeoutMs?: number;
  readonly heartbeatEveryMs?: number;
}

/** The environment a process starts with: PATH and a HOME in its working folder, plus the task's variables. */
export function processEnvironment(workdir: string, task: Readonly<Record<string, string>>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: workdir, LANG: 'C.UTF-8', ...task };
}

/** Runs `prepare` in a fresh working folder (removed afterwards) and the process it describes. */
export async function runInWorkdir(task: Task, policy: RunPolicy, prepare: (workdir: string) => Promise<ProcessLaunch>): Promise<ProcessOutput> {
  const workdir = await mkdtemp(join(tmpdir(), 'baton-run-'));
  const timeoutMs = Math.min(policy.timeoutMs, task.timeoutMs ?? Number.POSITIVE_INFINITY);
  const removeWorkdir = () => rm(workdir, { recursive: true, force: true }).catch(() => undefined);
  // A process not awaited keeps its folder until it ends.
  let keep = false;
  try {
    const launch = await prepare(workdir);
    if (!task.await) {
      const started = await startDetached({
        file: launch.file,
        args: launch.args,
        env: launch.env,
        cwd: workdir,
        timeoutMs,
        ...(launch.stdin === undefined ? {} : { stdin: launch.stdin }),
        ...(launch.onStop ? { onStop: launch.onStop } : {}),
        onExit: () => void removeWorkdir(),
      });
      if ('failed' in started) throw processFailure('runtime', 500, 'Process did not start', `${launch.what} did not start: ${started.failed}`, task.taskReference);
      keep = true;
      return null;
    }
    const activity = activityContext();
    const heartbeat = activity ? setInterval(() => activity.heartbeat(), task.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS) : undefined;
    try {
      const spec: ProcessSpec = {
        file: launch.file,
        args: launch.args,
        env: launch.env,
        cwd: workdir,
        ...(launch.stdin === undefined ? {} : { stdin: launch.stdin }),
        returned: { stdout: task.return === 'stdout' || task.return === 'all', stderr: task.return === 'stderr' || task.return === 'all' },
        outputBytes: policy.outputBytes,
        timeoutMs,
        ...(activity ? { signal: activity.cancellationSignal } : {}),
        ...(launch.onStop ? { onStop: launch.onStop } : {}),
      };
      const end = await runProcess(spec);
      return shapeOutput(end, { what: launch.what, return: task.return, taskReference: task.taskReference, outputBytes: policy.outputBytes }, activity?.cancellationSignal);
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  } finally {
    if (!keep) await removeWorkdir();
  }
}

/** The activity context, or undefined when called directly (tests, local tools). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
