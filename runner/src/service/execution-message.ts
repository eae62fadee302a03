/**
 * An execution as the wire shows it (the proto `Execution`). The callback appears only as its
 * delivery state and last error: never the token, sealed or not.
 */
import { CallbackDelivery, ExecutionPhase, WorkflowTaskStatus } from '@baton/proto';
import type { Execution, ExecutionError, TaskAwaiting as TaskAwaitingMessage, TaskStatus } from '@baton/proto';
import type { CallbackState, TaskAwaiting, TaskEntry, TaskPhase, WorkflowError } from '../contract/index.ts';
import type { ExecutionView, ViewPhase } from './executions.ts';

const PHASES: Record<ViewPhase, ExecutionPhase> = {
  PENDING: ExecutionPhase.EXECUTION_PENDING,
  IN_PROGRESS: ExecutionPhase.EXECUTION_IN_PROGRESS,
  PAUSED: ExecutionPhase.EXECUTION_PAUSED,
  COMPLETED: ExecutionPhase.EXECUTION_COMPLETED,
  FAILED: ExecutionPhase.EXECUTION_FAILED,
  CANCELLED: ExecutionPhase.EXECUTION_CANCELLED,
  TERMINATED: ExecutionPhase.EXECUTION_TERMINATED,
};

const TASK_PHASES: Record<TaskPhase, WorkflowTaskStatus> = {
  PENDING: WorkflowTaskStatus.WORKFLOW_TASK_PENDING,
  RUNNING: WorkflowTaskStatus.WORKFLOW_TASK_IN_PROGRESS,
  COMPLETED: WorkflowTaskStatus.WORKFLOW_TASK_COMPLETED,
  FAILED: WorkflowTaskStatus.WORKFLOW_TASK_FAILED,
  SKIPPED: WorkflowTaskStatus.WORKFLOW_TASK_SKIPPED,
  CANCELLED: WorkflowTaskStatus.WORKFLOW_TASK_CANCELLED,
};

const DELIVERIES: Record<CallbackState, CallbackDelivery> = {
  NONE: CallbackDelivery.CALLBACK_NONE,
  PENDING: CallbackDelivery.CALLBACK_PENDING,
  COMPLETED: CallbackDelivery.CALLBACK_COMPLETED,
  FAILED_DELIVERY: CallbackDelivery.CALLBACK_FAILED_DELIVERY,
  LOST: CallbackDelivery.CALLBACK_LOST,
};

export function executionMessage(view: ExecutionView): Execution {
  return {
    executionId: view.executionId,
    phase: PHASES[view.phase],
    tasks: view.tasks.map(taskMessage),
    output: view.phase === 'COMPLETED' ? (view.output ?? null) : undefined,
    error: view.error ? errorMessage(view.error, view.currentTask) : undefined,
    startedAt: dateOf(view.startedAt),
    completedAt: dateOf(view.completedAt),
    temporalWorkflowId: view.temporalWorkflowId,
    callback: { delivery: DELIVERIES[view.callback.state], lastError: view.callback.lastError ?? '' },
  };
}

function taskMessage(task: TaskEntry): TaskStatus {
  return {
    name: task.name,
    path: task.path,
    type: task.kind,
    status: TASK_PHASES[task.phase],
    startedAt: dateOf(task.startedAt),
    completedAt: dateOf(task.completedAt),
    error: task.error ? errorMessage(task.error, task.path) : undefined,
    awaiting: task.awaiting ? awaitingMessage(task.awaiting) : undefined,
  };
}

function awaitingMessage(awaiting: TaskAwaiting): TaskAwaitingMessage {
  if (awaiting.kind === 'messages') return { strategy: awaiting.strategy, events: [], signals: [...awaiting.signals], updates: [...awaiting.updates] };
  return {
    strategy: awaiting.strategy,
    events: awaiting.filters.map((filter) => ({ attributes: { ...filter.attributes }, checksData: filter.checksData })),
    signals: [],
    updates: [],
  };
}

function errorMessage(error: WorkflowError, taskPath: string | undefined): ExecutionError {
  return {
    type: error.type,
    status: error.status,
    title: error.title ?? '',
    detail: error.detail ?? '',
    instance: error.instance ?? '',
    taskPath: error.instance ?? taskPath ?? '',
  };
}

function dateOf(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
