/** The fields every task shares: `if`, `input`, `output`, `export`, `timeout`, `then`, `metadata`. */
import type { DurationSpec } from '../plan.ts';
import { activityOptions } from './activity-options.ts';
import { heartbeatMs } from './heartbeat.ts';
import { searchAttributes } from './search-attributes.ts';
import type { CompileContext } from './context.ts';
import { dataExport, dataIn, dataOut } from './data.ts';
import { duration } from './durations.ts';
import { runtimeExpression } from './expressions.ts';
import { flowTarget } from './flow.ts';
import type { TaskBaseFields, TaskSite } from './task-site.ts';
import { asObject, own } from '../document/values.ts';
import { taskHeartbeats } from '../document/task-kind.ts';

export function taskBase(site: TaskSite): TaskBaseFields {
  const { ctx, body, pointer } = site;
  const condition = runtimeExpression(ctx, body.if);
  const timeout = timeoutSpec(ctx, body.timeout);
  const metadata = asObject(body.metadata);
  const options = activityOptions(metadata);
  const heartbeat = taskHeartbeats(body) ? heartbeatMs(ctx, metadata) : undefined;
  const attributes = searchAttributes(ctx, metadata);
  return {
    name: site.name,
    reference: pointer,
    ...(condition ? { if: condition } : {}),
    input: dataIn(ctx, body.input),
    output: dataOut(ctx, body.output),
    export: dataExport(ctx, body.export),
    ...(timeout ? { timeout } : {}),
    then: flowTarget(body.then, site.siblings),
    ...(metadata ? { metadata } : {}),
    ...(options ? { activityOptions: options } : {}),
    ...(heartbeat !== undefined ? { heartbeatMs: heartbeat } : {}),
    ...(attributes?.length ? { searchAttributes: attributes } : {}),
  };
}

/** An inline `{ after: duration }` or the name of a `use.timeouts` entry. */
export function timeoutSpec(ctx: CompileContext, value: unknown): DurationSpec | undefined {
  const object = typeof value === 'string' ? asObject(own(ctx.components.timeouts, value)) : asObject(value);
  return object ? duration(ctx, object.after) : undefined;
}
