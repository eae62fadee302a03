/** The fields every task shares: `if`, `input`, `output`, `export`, `timeout`, `then`, `metadata`. */
import { joinPointer } from '../parse/pointer.ts';
import { checkActivityOptions } from './activity-options.ts';
import { checkHeartbeat } from './heartbeat.ts';
import { checkSearchAttributes } from './search-attributes.ts';
import type { ValidationContext } from './context.ts';
import { checkDataIn, checkDataOut } from './data.ts';
import { checkDuration } from './durations.ts';
import { atSite, AUTHORIZATION_VARIABLE, checkRuntimeExpression, extendScope } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { checkFlowTarget } from './flow.ts';
import { didYouMean } from '../document/suggest.ts';
import type { TaskSite } from './task-site.ts';
import { asObject, own } from '../document/values.ts';
import { taskRunsActivity, taskHeartbeats } from '../document/task-kind.ts';

export function checkTaskBase(site: TaskSite): void {
  const { ctx, body, pointer, scope } = site;
  const at = (key: string) => joinPointer(pointer, key);
  // Pointers are built only for the fields a task writes: most tasks write few of them.
  if (body.if !== undefined) checkRuntimeExpression(ctx, body.if, at('if'), atSite(scope, 'taskIf'));
  if (body.timeout !== undefined) checkTimeout(ctx, body.timeout, at('timeout'), atSite(scope, 'taskTimeout'));
  if (body.input !== undefined) checkDataIn(ctx, body.input, at('input'), atSite(scope, 'taskInput'));
  if (body.output !== undefined) checkDataOut(ctx, body.output, at('output'), atSite(outputScope(site), 'taskOutput'));
  if (body.export !== undefined) checkDataOut(ctx, body.export, at('export'), atSite(outputScope(site), 'taskExport'));
  if (body.then !== undefined) checkFlowTarget(ctx, body.then, at('then'), site.siblings);
  const metadata = asObject(body.metadata);
  if (!metadata) return;
  const options = checkActivityOptions(ctx, metadata, at('metadata'));
  if (options && !taskRunsActivity(body)) {
    // Only call and process tasks schedule activities; anywhere else the options would silently do nothing.
    ctx.error('SW307', joinPointer(at('metadata'), 'activityOptions'), 'activity options have no effect here: only `call` (http, openapi, grpc, mcp, activity) and `run: shell/script/container` tasks run activities', {
      atKey: true,
      hint: 'set them on those tasks, or for the whole workflow under document.metadata.activityOptions',
    });
  }
  checkHeartbeat(ctx, metadata, at('metadata'), taskHeartbeats(body), options?.heartbeatTimeoutMs);
  checkSearchAttributes(site, metadata, at('metadata'));
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
export function checkTimeout(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (typeof value === 'string') {
    const named = asObject(own(ctx.components.timeouts, value));
    if (!named) {
      ctx.error('SW304', pointer, `no timeout named '${value}' in use.timeouts`, { hint: didYouMean(value, Object.keys(ctx.components.timeouts)) });
      return;
    }
    checkDuration(ctx, named.after, `/use/timeouts/${value.replace(/~/g, '~0').replace(/\//g, '~1')}/after`, scope);
    return;
  }
  const object = asObject(value);
  if (object) checkDuration(ctx, object.after, joinPointer(pointer, 'after'), scope);
}
