/**
 * Zigflow's task-level `metadata.heartbeat`: how often the task's activity records a heartbeat
 * while it runs. Only dialect documents give it that meaning (a specification document's metadata
 * is free-form). It is refused where it could not be kept: on a task that runs no activity, and
 * when it is no shorter than a heartbeat timeout the document sets, which would fail every attempt.
 */
import { checkActivityDuration } from './activity-options.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';

export function checkHeartbeat(
  ctx: ValidationContext,
  metadata: Readonly<Record<string, unknown>> | undefined,
  pointer: string,
  runsActivity: boolean,
  taskHeartbeatTimeoutMs: number | undefined,
): void {
  if (ctx.dialect !== 'zigflow' || !metadata || !Object.hasOwn(metadata, 'heartbeat')) return;
  const at = joinPointer(pointer, 'heartbeat');
  if (!runsActivity) {
    ctx.error('SW307', at, 'a heartbeat is honoured only on `call: http/openapi/grpc` and `run: shell/script/container` tasks (a `call: activity` heartbeats as its own code does)', { atKey: true });
    return;
  }
  const ms = checkActivityDuration(ctx, metadata.heartbeat, at);
  if (ms === undefined) return;
  if (ms <= 0) {
    ctx.error('SW307', at, 'the heartbeat interval must be longer than zero');
    return;
  }
  const timeout = taskHeartbeatTimeoutMs ?? ctx.documentHeartbeatTimeoutMs;
  if (timeout !== undefined && ms >= timeout) {
    ctx.error('SW307', at, `heartbeats every ${ms} ms would miss the heartbeat timeout of ${timeout} ms and fail every attempt`, {
      hint: 'make the heartbeat shorter than activityOptions.heartbeatTimeout',
    });
  }
}
