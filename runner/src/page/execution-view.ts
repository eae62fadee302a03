/**
 * An execution as the page shows it, server-rendered and in each live event alike: the status
 * without anything about the callback but its state and last error (never its token, sealed or not).
 */
import { awaitingText, type CallbackState, type TaskEntry, type WorkflowError } from '../contract/index.ts';
import type { ExecutionView, ViewPhase } from '../service/executions.ts';

/** A task as the page shows it: what it waits for already in words, only while it runs. */
export type PageTask = Omit<TaskEntry, 'awaiting'> & { readonly waitingFor?: string };

export interface PageView {
  readonly executionId: string;
  readonly phase: ViewPhase;
  readonly closed: boolean;
  readonly currentTask?: string;
  readonly tasks: readonly PageTask[];
  readonly output?: unknown;
  readonly error?: WorkflowError;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly callback: { readonly state: CallbackState; readonly lastError?: string };
}

export function pageView(view: ExecutionView): PageView {
  return {
    executionId: view.executionId,
    phase: view.phase,
    closed: view.closed,
    ...(view.currentTask ? { currentTask: view.currentTask } : {}),
    tasks: view.tasks.map(pageTask),
    ...('output' in view && view.output !== undefined ? { output: view.output } : {}),
    ...(view.error ? { error: view.error } : {}),
    ...(view.startedAt ? { startedAt: view.startedAt } : {}),
    ...(view.completedAt ? { completedAt: view.completedAt } : {}),
    callback: { state: view.callback.state, ...(view.callback.lastError ? { lastError: view.callback.lastError } : {}) },
  };
}

function pageTask({ awaiting, ...task }: TaskEntry): PageTask {
  return awaiting && task.phase === 'RUNNING' ? { ...task, waitingFor: awaitingText(awaiting) } : task;
}

/**
 * Where a failed execution failed: the task its error names as `instance` (the spec's task
 * reference), else the deepest failed task. The page's script picks the same way.
 */
export function failurePosition(view: PageView): string | undefined {
  if (view.phase !== 'FAILED') return undefined;
  const failed = view.tasks.filter((task) => task.phase === 'FAILED').map((task) => task.path);
  const instance = view.error?.instance;
  if (instance && (failed.includes(instance) || failed.length === 0)) return instance;
  return failed.sort((a, b) => b.length - a.length)[0];
}
