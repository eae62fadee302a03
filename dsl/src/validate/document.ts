/**
 * The rules the schema cannot say about a whole document: its DSL version, keys at its top, the
 * reusable components Baton does not run yet, Zigflow's workflow types; then every task.
 */
import { workflowTypes } from '../document/workflow-types.ts';
import { joinPointer } from '../parse/pointer.ts';
import { checkActivityOptions } from './activity-options.ts';
import { checkReusableAuthentications } from './authentication.ts';
import type { ValidationContext } from './context.ts';
import { checkDataIn, checkDataOut } from './data.ts';
import { atSite, ROOT_SCOPE } from './expressions.ts';
import { checkHistoryLimit } from './history-limit.ts';
import { checkSchedule } from './schedule.ts';
import { checkZigflowSchedule } from './zigflow-schedule.ts';
import { checkTimeout } from './task-base.ts';
import { checkTaskList } from './task-list.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject, asString } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';

/** Accepted `document.dsl` versions: 1.0.0 through 1.0.x. */
const SUPPORTED_DSL = /^1\.0\.\d+$/;

const ROOT_KEYS: readonly string[] = ['document', 'input', 'use', 'do', 'timeout', 'output', 'schedule'];

/**
 * A top-level key that only holds YAML anchors for the rest of the file to alias or merge
 * (`.anchors:`, `x-defaults:`): not a workflow field, so it is left out of the plan. The leading
 * `.` or `x-` says so, which keeps a misspelt `ouput:` an error.
 */
const ANCHOR_HOLDER = /^(?:\.|x-)/;

const UNSUPPORTED_USE: Readonly<Record<string, string>> = {
  extensions: 'extensions are not supported yet',
};

export function checkDocument(ctx: ValidationContext, root: JsonObject): void {
  const use = asObject(root.use) ?? {};
  const document = asObject(root.document) ?? {};
  const dsl = asString(document.dsl) ?? '';
  if (dsl !== '' && !SUPPORTED_DSL.test(dsl)) {
    ctx.error('SW206', '/document/dsl', `DSL version ${dsl} is not supported; Baton runs Serverless Workflow 1.0.x`, { hint: "write dsl: '1.0.3'" });
  }
  // The official schema leaves the root open, so a misspelt `ouput:` would pass silently.
  for (const key of Object.keys(root)) {
    if (!ROOT_KEYS.includes(key) && !ANCHOR_HOLDER.test(key)) {
      ctx.error('SW202', joinPointer('', key), `property '${key}' is not allowed at the top of a workflow`, {
        atKey: true,
        hint: didYouMean(key, ROOT_KEYS) ?? `allowed here: ${ROOT_KEYS.join(', ')} (and keys starting with '.' or 'x-' that only hold YAML anchors)`,
      });
    }
  }
  for (const [key, message] of Object.entries(UNSUPPORTED_USE)) {
    if (use[key] !== undefined) ctx.error('SW501', joinPointer('/use', key), message, { atKey: true });
  }
  checkReusableAuthentications(ctx, use.authentications);
  const workflows = ctx.dialect === 'zigflow' ? workflowTypes(root.do) : undefined;
  if (workflows) {
    ctx.siblingWorkflows = new Set(workflows);
    const name = asString(document.name) ?? '';
    if (!workflows.includes(name)) {
      ctx.error('SW307', '/document/name', `this file defines the workflow types ${workflows.join(', ')} (one per top-level \`do\`); an execution of the file runs the one named by document.workflowType, and none is named '${name}'`, {
        hint: `set document.workflowType to one of ${workflows.join(', ')}`,
      });
    }
  }
  checkHistoryLimit(ctx, document.metadata);
  ctx.documentHeartbeatTimeoutMs = checkActivityOptions(ctx, document.metadata, '/document/metadata')?.heartbeatTimeoutMs;
  if (root.schedule !== undefined) checkSchedule(ctx, root.schedule);
  if (asObject(root.schedule)) checkZigflowSchedule(ctx, document.metadata, asString(document.name) ?? '', root.schedule);
  checkTimeout(ctx, root.timeout, '/timeout', atSite(ROOT_SCOPE, 'workflowTimeout'));
  checkDataIn(ctx, root.input, '/input', atSite(ROOT_SCOPE, 'workflowInput'));
  checkDataOut(ctx, root.output, '/output', atSite(ROOT_SCOPE, 'workflowOutput'));
  checkTaskList(ctx, root.do, '/do', ROOT_SCOPE);
}
