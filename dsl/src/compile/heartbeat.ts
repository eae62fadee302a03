/** Zigflow's task-level `metadata.heartbeat` → how often the task's activity records a heartbeat. */
import { durationMs } from './activity-options.ts';
import type { CompileContext } from './context.ts';

export function heartbeatMs(ctx: CompileContext, metadata: Readonly<Record<string, unknown>> | undefined): number | undefined {
  if (ctx.dialect !== 'zigflow' || !metadata || !Object.hasOwn(metadata, 'heartbeat')) return undefined;
  return durationMs(metadata.heartbeat);
}
