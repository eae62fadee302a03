/** The fields every task shares: `if`, `input`, `output`, `export`, `timeout`, `then`, `metadata`. */
import type { DurationSpec } from '../plan.ts';
import { activityOptions } from './activity-options.ts';
import { heartbeatMs } from './heartbeat.ts';
import { searchAttributes } from './search-attributes.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { CompileContext } from './context.ts';
import { dataExport, dataIn, dataOut } from './data.ts';
import { duration } from './durations.ts';
import { atSite, AUTHORIZATION_VARIABLE, extendScope, runtimeExpression } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { flowTarget } from './flow.ts';
import { didYouMean } from '../document/suggest.ts';
import type { TaskBaseFields, TaskSite } from './task-site.ts';
import { asObject, own } from '../document/values.ts';

/** The call kinds that run as activities, so task-level `metadata.activityOptions` apply to them. */
const ACTIVITY_CALLS: ReadonlySet<string> = new Set(['http', 'openapi', 'grpc', 'mcp', 'activity']);
/** The call kinds whose activity is Baton's own, so it can heartbeat at `metadata.heartbeat` (`call: activity` runs the caller's code). */
const HEARTBEAT_CALLS: ReadonlySet<string> = new Set(['http', 'openapi', 'grpc']);

export function taskBase(site: TaskSite): TaskBaseFields {
  const { ctx, body, pointer, scope } = site;
  const at = (key: string) => joinPointer(pointer, key);
  const condition = runtimeExpression(ctx, body.if, at('if'), atSite(scope, 'taskIf'));
  const timeout = timeoutSpec(ctx, body.timeout, at('timeout'), atSite(scope, 'taskTimeout'));
  const metadata = asObject(body.metadata);
  const options = activityOptions(ctx, metadata, at('metadata'));
  const run = asObject(body.run);
  const runsProcess = run !== undefined && (run.shell !== undefined || run.script !== undefined || run.container !== undefined);
  const runsActivity = (typeof body.call === 'string' && ACTIVITY_CALLS.has(body.call)) || runsProcess;
  if (options && !runsActivity) {
    // Only call and process tasks schedule activities; anywhere else the options would silently do nothing.
    ctx.error('SW307', joinPointer(at('metadata'), 'activityOptions'), 'activity options have no effect here: only `call` (http, openapi, grpc, mcp, activity) and `run: shell/script/container` tasks run activities', {
      atKey: true,
      hint: 'set them on those tasks, or for the whole workflow under document.metadata.activityOptions',
    });
  }
  const heartbeat = heartbeatMs(ctx, metadata, at('metadata'), HEARTBEAT_CALLS.has(String(body.call)) || runsProcess, options);
  const attributes = searchAttributes(site, metadata, at('metadata'));
  return {
    name: site.name,
    reference: pointer,
    ...(condition ? { if: condition } : {}),
    input: dataIn(ctx, body.input, at('input'), atSite(scope, 'taskInput')),
    output: dataOut(ctx, body.output, at('output'), atSite(outputScope(site), 'taskOutput')),
    export: dataExport(ctx, body.export, at('export'), atSite(outputScope(site), 'taskExport')),
    ...(timeout ? { timeout } : {}),
    then: flowTarget(ctx, body.then, at('then'), site.siblings),
    ...(metadata ? { metadata } : {}),
    ...(options ? { activityOptions: options } : {}),
    ...(heartbeat !== undefined ? { heartbeatMs: heartbeat } : {}),
    ...(attributes?.length ? { searchAttributes: attributes } : {}),
  };
}

/**
 * `$authorization` exists in `output.as` and `export.as` of a call whose endpoint authenticates
 * (the spec's runtime-arguments table); the interpreter binds it there as a local.
 */
function outputScope(site: TaskSite): Scope {
  const endpoint = asObject(asObject(site.body.with)?.endpoint);
  return typeof site.body.call === 'string' && endpoint?.authentication !== undefined ? extendScope(site.scope, AUTHORIZATION_VARIABLE) : site.scope;
}

/** An inline `{ after: duration }` or the name of a `use.timeouts` entry. */
export function timeoutSpec(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): DurationSpec | undefined {
  if (typeof value === 'string') {
    const named = asObject(own(ctx.components.timeouts, value));
    if (!named) {
      ctx.error('SW304', pointer, `no timeout named '${value}' in use.timeouts`, { hint: didYouMean(value, Object.keys(ctx.components.timeouts)) });
      return undefined;
    }
    return duration(ctx, named.after, `/use/timeouts/${value.replace(/~/g, '~0').replace(/\//g, '~1')}/after`, scope);
  }
  const object = asObject(value);
  return object ? duration(ctx, object.after, joinPointer(pointer, 'after'), scope) : undefined;
}
