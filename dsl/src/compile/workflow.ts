/** The whole document → Plan: metadata, reusable components, workflow data handling, tasks. */
import { documentErrorTypeForm } from '../error-types.ts';
import { joinPointer } from '../parse/pointer.ts';
import { PLAN_FORMAT_VERSION } from '../plan.ts';
import type { DocumentInfo, Plan } from '../plan.ts';
import { activityOptions } from './activity-options.ts';
import { reusableAuthentications } from './authentication.ts';
import type { Dialect } from '../runtime-arguments.ts';
import { CompileContext } from './context.ts';
import type { Components } from './context.ts';
import { dataIn, dataOut } from './data.ts';
import { checkHistoryLimit } from './history-limit.ts';
import type { ExpressionChecker } from './expressions.ts';
import { atSite, ROOT_SCOPE } from './expressions.ts';
import { scheduleSpec } from './schedule.ts';
import { zigflowScheduleId, zigflowScheduleInput } from './zigflow-schedule.ts';
import { timeoutSpec } from './task-base.ts';
import { compileTaskList } from './task-list.ts';
import { didYouMean } from '../document/suggest.ts';
import { asArray, asObject, asString } from '../document/values.ts';
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

export function compileDocument(root: JsonObject, expressions: ExpressionChecker, dialect: Dialect = 'spec'): { ctx: CompileContext; plan: Plan } {
  const use = asObject(root.use) ?? {};
  const components: Components = {
    errors: asObject(use.errors) ?? {},
    retries: asObject(use.retries) ?? {},
    timeouts: asObject(use.timeouts) ?? {},
    functions: asObject(use.functions) ?? {},
    catalogs: asObject(use.catalogs) ?? {},
    secrets: (asArray(use.secrets) ?? []).filter((item): item is string => typeof item === 'string'),
  };
  const ctx = new CompileContext(components, expressions, dialect);

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
  ctx.authentications = reusableAuthentications(ctx, use.authentications);

  const info: DocumentInfo = {
    dsl,
    namespace: asString(document.namespace) ?? '',
    name: asString(document.name) ?? '',
    version: asString(document.version) ?? '',
    ...optionalString(document, 'title'),
    ...optionalString(document, 'summary'),
    ...(asObject(document.tags) ? { tags: stringValues(asObject(document.tags)!) } : {}),
    ...(asObject(document.metadata) ? { metadata: document.metadata as JsonObject } : {}),
  };
  ctx.documentNamespace = info.namespace;
  ctx.documentVersion = info.version;
  const workflows = dialect === 'zigflow' ? workflowTypes(root.do) : undefined;
  if (workflows) {
    ctx.siblingWorkflows = new Set(workflows);
    if (!workflows.includes(info.name)) {
      ctx.error('SW307', '/document/name', `this file defines the workflow types ${workflows.join(', ')} (one per top-level \`do\`); an execution of the file runs the one named by document.workflowType, and none is named '${info.name}'`, {
        hint: `set document.workflowType to one of ${workflows.join(', ')}`,
      });
    }
  }
  checkHistoryLimit(ctx, document.metadata);
  ctx.documentActivityOptions = activityOptions(ctx, document.metadata, '/document/metadata') ?? {};
  const schedule = root.schedule === undefined ? undefined : scheduleSpec(ctx, root.schedule);
  const scheduleInput = schedule ? zigflowScheduleInput(ctx, document.metadata, info.name) : undefined;
  const scheduleId = schedule ? zigflowScheduleId(ctx, document.metadata, schedule) : undefined;
  const timeout = timeoutSpec(ctx, root.timeout, '/timeout', atSite(ROOT_SCOPE, 'workflowTimeout'));
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    document: info,
    input: dataIn(ctx, root.input, '/input', atSite(ROOT_SCOPE, 'workflowInput')),
    output: dataOut(ctx, root.output, '/output', atSite(ROOT_SCOPE, 'workflowOutput')),
    secrets: components.secrets,
    ...(timeout ? { timeout } : {}),
    ...(schedule ? { schedule } : {}),
    ...(scheduleInput ? { scheduleInput } : {}),
    ...(scheduleId ? { scheduleId } : {}),
    activityOptions: ctx.documentActivityOptions,
    do: compileTaskList(ctx, root.do, '/do', ROOT_SCOPE),
    ...(dialect === 'zigflow' ? { errorTypeForm: 'zigflow' as const } : documentErrorTypeForm(root) === 'dsl' ? { errorTypeForm: 'dsl' as const } : {}),
    ...(dialect === 'zigflow' ? { dialect } : {}),
    ...(workflows ? { workflows, entry: info.name } : {}),
  };
  return { ctx, plan };
}

/** Zigflow: a file whose top-level tasks are all `do` defines one workflow type per task. */
function workflowTypes(list: unknown): string[] | undefined {
  const items = asArray(list);
  if (!items || items.length === 0) return undefined;
  const names: string[] = [];
  for (const item of items) {
    const entry = Object.entries(asObject(item) ?? {});
    if (entry.length !== 1) return undefined;
    const [name, body] = entry[0]!;
    const task = asObject(body);
    if (task?.do === undefined || task.for !== undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** Tags are labels: a YAML `version: 2` tag becomes the string '2'. */
function stringValues(object: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

function optionalString(object: JsonObject, key: string): Record<string, string> {
  const value = asString(object[key]);
  return value === undefined ? {} : { [key]: value };
}
