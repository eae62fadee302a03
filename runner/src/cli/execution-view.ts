/** How executions look on a terminal, and how `--json` renders them for scripts. */
import {
  type Execution,
  ExecutionPhase,
  executionPhaseToJSON,
  type ExecutionError,
  type TaskAwaiting,
  type TaskStatus,
  WorkflowTaskStatus,
  workflowTaskStatusToJSON,
  callbackDeliveryToJSON,
} from '@baton/proto';
import { awaitingText, type TaskAwaiting as AwaitedOnTheRunner } from '../contract/index.ts';
import type { Style, Terminal } from './terminal.ts';

const TERMINAL_PHASES = new Set([
  ExecutionPhase.EXECUTION_COMPLETED,
  ExecutionPhase.EXECUTION_FAILED,
  ExecutionPhase.EXECUTION_CANCELLED,
  ExecutionPhase.EXECUTION_TERMINATED,
]);

export function isFinished(execution: Execution): boolean {
  return TERMINAL_PHASES.has(execution.phase);
}

export function phaseName(phase: ExecutionPhase): string {
  return executionPhaseToJSON(phase).replace(/^EXECUTION_/, '').toLowerCase();
}

export function taskStatusName(status: WorkflowTaskStatus): string {
  return workflowTaskStatusToJSON(status).replace(/^WORKFLOW_TASK_/, '').toLowerCase();
}

/** A plain-JSON rendering with readable enum names, for `--json`. */
export function executionToJson(execution: Execution): Record<string, unknown> {
  return {
    executionId: execution.executionId,
    phase: phaseName(execution.phase),
    temporalWorkflowId: execution.temporalWorkflowId,
    startedAt: execution.startedAt?.toISOString(),
    completedAt: execution.completedAt?.toISOString(),
    output: execution.output,
    error: execution.error,
    callback: execution.callback && {
      state: callbackDeliveryToJSON(execution.callback.delivery).replace(/^CALLBACK_/, '').toLowerCase(),
      lastError: execution.callback.lastError || undefined,
    },
    tasks: execution.tasks.map((task) => ({
      name: task.name,
      path: task.path,
      type: task.type,
      status: taskStatusName(task.status),
      startedAt: task.startedAt?.toISOString(),
      completedAt: task.completedAt?.toISOString(),
      error: task.error,
      awaiting: task.awaiting,
    })),
  };
}

const STATUS_STYLE: Partial<Record<WorkflowTaskStatus, [string, Style]>> = {
  [WorkflowTaskStatus.WORKFLOW_TASK_IN_PROGRESS]: ['▶', 'cyan'],
  [WorkflowTaskStatus.WORKFLOW_TASK_COMPLETED]: ['✓', 'green'],
  [WorkflowTaskStatus.WORKFLOW_TASK_FAILED]: ['✗', 'red'],
  [WorkflowTaskStatus.WORKFLOW_TASK_SKIPPED]: ['↷', 'dim'],
  [WorkflowTaskStatus.WORKFLOW_TASK_CANCELLED]: ['■', 'yellow'],
};

/** One line for a task that changed: mark, path, kind, status and, once finished, its duration. */
export function formatTaskLine(task: TaskStatus, terminal: Terminal): string {
  const [mark, style] = STATUS_STYLE[task.status] ?? ['·', 'dim'];
  const duration =
    task.startedAt && task.completedAt ? `  ${formatDuration(task.completedAt.getTime() - task.startedAt.getTime())}` : '';
  const error = task.error ? `  ${formatError(task.error)}` : '';
  const awaiting = task.awaiting && task.status === WorkflowTaskStatus.WORKFLOW_TASK_IN_PROGRESS ? `  ${terminal.paint('yellow', formatAwaiting(task.awaiting))}` : '';
  return `${terminal.paint(style, mark)} ${task.path.padEnd(32)} ${terminal.paint('dim', task.type.padEnd(8))} ${taskStatusName(task.status)}${duration}${error}${awaiting}`;
}

/** The wire form read back into the runner's own, so the CLI says it in the page's words. */
function formatAwaiting(awaiting: TaskAwaiting): string {
  const strategy = awaiting.strategy === 'any' || awaiting.strategy === 'all' ? awaiting.strategy : 'one';
  const onRunner: AwaitedOnTheRunner =
    awaiting.signals.length > 0 || awaiting.updates.length > 0
      ? { kind: 'messages', strategy: strategy === 'any' ? 'any' : 'all', signals: awaiting.signals, updates: awaiting.updates }
      : { kind: 'events', strategy, filters: awaiting.events };
  return awaitingText(onRunner);
}

/** What makes a task worth printing again: its status, or what it waits for. */
function taskState(task: TaskStatus): string {
  return task.awaiting && task.status === WorkflowTaskStatus.WORKFLOW_TASK_IN_PROGRESS ? `${task.status} ${formatAwaiting(task.awaiting)}` : String(task.status);
}

export function formatError(error: ExecutionError): string {
  const where = error.taskPath ? ` at ${error.taskPath}` : '';
  const status = error.status ? ` (status ${error.status})` : '';
  const text = [error.title, error.detail].filter(Boolean).join(': ');
  return `${error.type}${status}${where}${text ? ` — ${text}` : ''}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1_000)}s`;
}

/**
 * Tracks what was already shown, so a stream of snapshots prints each transition once. Entries are
 * keyed by position: the runner appends them in start order, and a task inside a loop appears
 * once per iteration under the same path.
 */
export class TransitionTracker {
  private readonly seen: string[] = [];
  private phase: ExecutionPhase | undefined;

  /** The tasks whose status changed since the last snapshot, and whether the phase changed. */
  next(execution: Execution): { tasks: TaskStatus[]; phaseChanged: boolean } {
    const tasks = execution.tasks.filter((task, index) => this.seen[index] !== taskState(task));
    execution.tasks.forEach((task, index) => (this.seen[index] = taskState(task)));
    const phaseChanged = this.phase !== execution.phase;
    this.phase = execution.phase;
    return { tasks, phaseChanged };
  }
}
