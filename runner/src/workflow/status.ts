/**
 * The execution status the `status` query returns. It lives in workflow memory only, so reading
 * it never adds history events; it is carried over continue-as-new as a plain snapshot.
 */
import type {
  CallbackState,
  ExecutionPhase,
  ExecutionStatus,
  TaskEntry,
  TaskPhase,
  WorkflowError,
} from './contract.ts';

/** Long loops would grow the status without bound; the oldest finished entries are dropped first. */
export const MAX_TASK_ENTRIES = 500;
const TRIM_BATCH = 100;

type MutableEntry = { -readonly [K in keyof TaskEntry]: TaskEntry[K] };

export class StatusTracker {
  private phase: ExecutionPhase;
  private phaseBeforePause: ExecutionPhase = 'IN_PROGRESS';
  private currentTask: string | undefined;
  private readonly tasks: MutableEntry[];
  private output: unknown;
  private error: WorkflowError | undefined;
  private startedAt: string | undefined;
  private completedAt: string | undefined;
  private callback: { state: CallbackState; lastError?: string };

  constructor(
    private readonly executionId: string,
    carried?: ExecutionStatus,
  ) {
    this.phase = carried?.phase ?? 'PENDING';
    this.currentTask = carried?.currentTask;
    this.tasks = carried ? carried.tasks.map((entry) => ({ ...entry })) : [];
    this.startedAt = carried?.startedAt;
    this.callback = carried ? { ...carried.callback } : { state: 'NONE' };
  }

  start(now: string): void {
    if (this.phase === 'PENDING' || this.phase === 'PAUSED') this.phase = 'IN_PROGRESS';
    this.startedAt ??= now;
  }

  pause(): void {
    if (this.phase === 'IN_PROGRESS' || this.phase === 'PENDING') {
      this.phaseBeforePause = this.phase;
      this.phase = 'PAUSED';
    }
  }

  resume(): void {
    if (this.phase === 'PAUSED') this.phase = this.phaseBeforePause;
  }

  taskStarted(entry: { name: string; path: string; kind: string }, now: string): void {
    this.currentTask = entry.path;
    this.tasks.push({ ...entry, phase: 'RUNNING', startedAt: now });
    this.trim();
  }

  taskEnded(path: string, phase: TaskPhase, now: string, error?: WorkflowError): void {
    const entry = this.findRunning(path);
    if (entry) {
      entry.phase = phase;
      entry.completedAt = now;
      if (error) entry.error = error;
    } else {
      this.tasks.push({ name: lastSegment(path), path, kind: 'unknown', phase, completedAt: now, ...(error ? { error } : {}) });
      this.trim();
    }
  }

  taskSkipped(entry: { name: string; path: string; kind: string }, now: string): void {
    this.tasks.push({ ...entry, phase: 'SKIPPED', startedAt: now, completedAt: now });
    this.trim();
  }

  completed(output: unknown, now: string): void {
    this.phase = 'COMPLETED';
    this.output = output;
    this.completedAt = now;
    this.currentTask = undefined;
  }

  failed(error: WorkflowError, now: string): void {
    this.phase = 'FAILED';
    this.error = error;
    this.completedAt = now;
    this.markRunning('FAILED', now);
  }

  cancelled(now: string): void {
    this.phase = 'CANCELLED';
    this.completedAt = now;
    this.markRunning('CANCELLED', now);
  }

  /** Used by the callback end-game to record how delivering the result went. */
  setCallback(state: CallbackState, lastError?: string): void {
    this.callback = lastError === undefined ? { state } : { state, lastError };
  }

  get currentPhase(): ExecutionPhase {
    return this.phase;
  }

  snapshot(): ExecutionStatus {
    return {
      executionId: this.executionId,
      phase: this.phase,
      ...(this.currentTask !== undefined ? { currentTask: this.currentTask } : {}),
      tasks: this.tasks.map((entry) => ({ ...entry })),
      ...(this.output !== undefined ? { output: this.output } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.completedAt !== undefined ? { completedAt: this.completedAt } : {}),
      callback: { ...this.callback },
    };
  }

  private findRunning(path: string): MutableEntry | undefined {
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const entry = this.tasks[i];
      if (entry && entry.path === path && entry.phase === 'RUNNING') return entry;
    }
    return undefined;
  }

  private markRunning(phase: TaskPhase, now: string): void {
    for (const entry of this.tasks) {
      if (entry.phase === 'RUNNING') {
        entry.phase = phase;
        entry.completedAt = now;
      }
    }
  }

  /** Drops the oldest finished entries in batches, so a long loop pays for trimming rarely. */
  private trim(): void {
    if (this.tasks.length <= MAX_TASK_ENTRIES + TRIM_BATCH) return;
    let excess = this.tasks.length - MAX_TASK_ENTRIES;
    const kept = this.tasks.filter((entry) => {
      if (excess > 0 && entry.phase !== 'RUNNING') {
        excess--;
        return false;
      }
      return true;
    });
    this.tasks.splice(0, this.tasks.length, ...kept);
  }
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
