/**
 * Zigflow's `metadata.heartbeat`, as the activity request carries it. Executions started before it
 * was honoured scheduled their activities without it; they replay that way (the marker is written
 * only for tasks that set a heartbeat).
 */
import { patched } from '@temporalio/workflow';
import type { Task } from '@baton/dsl/runtime';

export const ZIGFLOW_HEARTBEAT_PATCH = 'zigflow-heartbeat';

export function heartbeatField(task: Task): { heartbeatEveryMs?: number } {
  return task.heartbeatMs !== undefined && patched(ZIGFLOW_HEARTBEAT_PATCH) ? { heartbeatEveryMs: task.heartbeatMs } : {};
}

/**
 * The heartbeat timeout a process activity gets when the document sets none: the default, or
 * longer when the author's heartbeat interval would not fit in it (two missed beats still pass).
 */
export function processHeartbeatTimeoutMs(defaultMs: number, heartbeatEveryMs: number | undefined): number {
  return heartbeatEveryMs === undefined ? defaultMs : Math.max(defaultMs, 3 * heartbeatEveryMs);
}
