/** The whole validated document → Plan: metadata, reusable components, workflow data handling, tasks. */
import { readComponents } from '../document/components.ts';
import type { ExpressionChecker } from '../document/expression-checker.ts';
import { workflowTypes } from '../document/workflow-types.ts';
import { documentErrorTypeForm } from '../error-types.ts';
import { PLAN_FORMAT_VERSION } from '../plan.ts';
import type { DocumentInfo, Plan } from '../plan.ts';
import type { Dialect } from '../runtime-arguments.ts';
import { activityOptions } from './activity-options.ts';
import { reusableAuthentications } from './authentication.ts';
import { CompileContext } from './context.ts';
import { dataIn, dataOut } from './data.ts';
import { scheduleSpec } from './schedule.ts';
import { zigflowScheduleId, zigflowScheduleInput } from './zigflow-schedule.ts';
import { timeoutSpec } from './task-base.ts';
import { compileTaskList } from './task-list.ts';
import { asObject, asString } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';

export function compileDocument(root: JsonObject, expressions: ExpressionChecker, dialect: Dialect = 'spec'): Plan {
  const components = readComponents(root);
  const ctx = new CompileContext(components, expressions, dialect);
  ctx.authentications = reusableAuthentications(ctx, components.authentications);
  const document = asObject(root.document) ?? {};
  const info: DocumentInfo = {
    dsl: asString(document.dsl) ?? '',
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
  if (workflows) ctx.siblingWorkflows = new Set(workflows);
  const schedule = scheduleSpec(ctx, root.schedule);
  const scheduleInput = schedule ? zigflowScheduleInput(ctx, document.metadata) : undefined;
  const scheduleId = schedule ? zigflowScheduleId(ctx, document.metadata) : undefined;
  const timeout = timeoutSpec(ctx, root.timeout);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    document: info,
    input: dataIn(ctx, root.input),
    output: dataOut(ctx, root.output),
    secrets: components.secrets,
    ...(timeout ? { timeout } : {}),
    ...(schedule ? { schedule } : {}),
    ...(scheduleInput ? { scheduleInput } : {}),
    ...(scheduleId ? { scheduleId } : {}),
    activityOptions: activityOptions(document.metadata) ?? {},
    do: compileTaskList(ctx, root.do, '/do'),
    ...(dialect === 'zigflow' ? { errorTypeForm: 'zigflow' as const } : documentErrorTypeForm(root) === 'dsl' ? { errorTypeForm: 'dsl' as const } : {}),
    ...(dialect === 'zigflow' ? { dialect } : {}),
    ...(workflows ? { workflows, entry: info.name } : {}),
  };
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
