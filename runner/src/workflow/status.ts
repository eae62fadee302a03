/**
 * The execution status the `status` query returns. It lives in workflow memory only, so reading
 * it never adds history events; it is carried over continue-as-new as a plain snapshot.
 */
import type {
  CallbackState,
  ExecutionPhase,
  ExecutionStatus,
  TaskAwaiting,
  TaskEntry,
  TaskPhase,
  WorkflowError,
} from '../contract/index.ts';

/** Long loops would grow the status without bound; the oldest finished entries are dropped first. */
export const MAX_TASK_ENTRIES = 500;
const TRIM_BATCH = 100;

/** Times stay epoch milliseconds until a snapshot is taken: formatting dates on every task is measurable. */
interface MutableEntry {
  name: string;
  path: string;
  kind: string;
  phase: TaskPhase;
  startedAtMs?: number;
  completedAtMs?: number;
  error?: WorkflowError;
  awaiting?: TaskAwaiting;
}

export class StatusTracker {
  private phase: ExecutionPhase;
  private phaseBeforePause: ExecutionPhase = 'IN_PROGRESS';
  private currentTask: string | undefined;
  private readonly tasks: MutableEntry[];
  private output: unknown;
  private error: WorkflowError | undefined;
  private startedAtMs: number | undefined;
  private completedAtMs: number | undefined;
  private callback: { state: CallbackState; lastError?: string };

  constructor(
    private readonly executionId: string,
    carried?: ExecutionStatus,
  ) {
    this.phase = carried?.phase ?? 'PENDING';
    this.currentTask = carried?.currentTask;
    this.tasks = carried ? carried.tasks.map(fromSnapshot) : [];
    this.startedAtMs = toMs(carried?.startedAt);
    this.callback = carried ? { ...carried.callback } : { state: 'NONE' };
  }

  start(nowMs: number): void {
    if (this.phase === 'PENDING' || this.phase === 'PAUSED') this.phase = 'IN_PROGRESS';
    this.startedAtMs ??= nowMs;
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

  taskStarted(name: string, path: string, kind: string, nowMs: number): void {
    this.currentTask = path;
    this.tasks.push({ name, path, kind, phase: 'RUNNING', startedAtMs: nowMs });
    this.trim();
  }

  /** What the running task at `path` waits for now; undefined when it no longer waits. */
  taskAwaiting(path: string, awaiting: TaskAwaiting | undefined): void {
    const entry = this.findRunning(path);
    if (!entry) return;
    if (awaiting) entry.awaiting = awaiting;
    else delete entry.awaiting;
  }

  taskEnded(path: string, phase: TaskPhase, nowMs: number, error?: WorkflowError): void {
    const entry = this.findRunning(path);
    if (entry) {
      delete entry.awaiting;
      entry.phase = phase;
      entry.completedAtMs = nowMs;
      if (error) entry.error = error;
    } else {
      this.tasks.push({ name: lastSegment(path), path, kind: 'unknown', phase, completedAtMs: nowMs, ...(error ? { error } : {}) });
      this.trim();
    }
  }

  taskSkipped(name: string, path: string, kind: string, nowMs: number): void {
    this.tasks.push({ name, path, kind, phase: 'SKIPPED', startedAtMs: nowMs, completedAtMs: nowMs });
    this.trim();
  }

  completed(output: unknown, nowMs: number): void {
    this.phase = 'COMPLETED';
    this.output = output;
    this.completedAtMs = nowMs;
    this.currentTask = undefined;
  }

  failed(error: WorkflowError, nowMs: number): void {
    this.phase = 'FAILED';
    this.error = error;
    this.completedAtMs = nowMs;
    this.markRunning('FAILED', nowMs);
  }

  cancelled(nowMs: number): void {
    this.phase = 'CANCELLED';
    this.completedAtMs = nowMs;
    this.markRunning('CANCELLED', nowMs);
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
      tasks: this.tasks.map(toSnapshot),
      ...(this.output !== undefined ? { output: this.output } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.startedAtMs !== undefined ? { startedAt: iso(this.startedAtMs) } : {}),
      ...(this.completedAtMs !== undefined ? { completedAt: iso(this.completedAtMs) } : {}),
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

  private markRunning(phase: TaskPhase, nowMs: number): void {
    for (const entry of this.tasks) {
      if (entry.phase === 'RUNNING') {
        delete entry.awaiting;
        entry.phase = phase;
        entry.completedAtMs = nowMs;
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function toMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function toSnapshot(entry: MutableEntry): TaskEntry {
  return {
    name: entry.name,
    path: entry.path,
    kind: entry.kind,
    phase: entry.phase,
    ...(entry.startedAtMs !== undefined ? { startedAt: iso(entry.startedAtMs) } : {}),
    ...(entry.completedAtMs !== undefined ? { completedAt: iso(entry.completedAtMs) } : {}),
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.awaiting ? { awaiting: entry.awaiting } : {}),
  };
}

function fromSnapshot(entry: TaskEntry): MutableEntry {
  const startedAtMs = toMs(entry.startedAt);
  const completedAtMs = toMs(entry.completedAt);
  return {
    name: entry.name,
    path: entry.path,
    kind: entry.kind,
    phase: entry.phase,
    ...(startedAtMs !== undefined ? { startedAtMs } : {}),
    ...(completedAtMs !== undefined ? { completedAtMs } : {}),
    ...(entry.error ? { error: entry.error } : {}),
  };
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
