/**
 * Zigflow's dialect, normalised to the spec before schema validation so Zigflow users can move
 * over unchanged:
 * - `document.taskQueue` / `document.workflowType` stand for `namespace` / `name` (when both
 *   spellings are given, the Zigflow one moves to `document.metadata`);
 * - `run.workflow.type` stands for `run.workflow.name`; a missing `namespace`/`version` then
 *   defaults to the calling document's own;
 * - duration objects with `${ }` fields are accepted by the schema (see validate/schema.ts) and
 *   compiled as dynamic durations;
 * - `metadata.activityOptions` is read by activity-options.ts.
 * The value is rewritten in place; `renames` maps each new pointer to where the text really is.
 */
import { joinPointer } from '../parse/pointer.ts';
import { asArray, asObject } from './values.ts';
import type { Dialect } from '../runtime-arguments.ts';

export type Renames = Map<string, string>;

/** A document written in Zigflow's dialect names its task queue or workflow type. */
export function documentDialect(root: Readonly<Record<string, unknown>>): Dialect {
  const document = asObject(root.document);
  return document && (Object.hasOwn(document, 'taskQueue') || Object.hasOwn(document, 'workflowType')) ? 'zigflow' : 'spec';
}

type Mutable = Record<string, unknown>;

export function normaliseDialect(root: Mutable): Renames {
  const renames: Renames = new Map();
  const document = asObject(root.document) as Mutable | undefined;
  if (document) {
    rename(document, 'taskQueue', 'namespace', '/document', renames);
    rename(document, 'workflowType', 'name', '/document', renames);
  }
  const defaults = { namespace: document?.namespace, version: document?.version };
  walk(root.do, '/do', defaults, renames, 0);
  const functions = asObject(asObject(root.use)?.functions);
  if (functions) for (const [name, task] of Object.entries(functions)) walkTask(task, joinPointer('/use/functions', name), defaults, renames, 0);
  return renames;
}

function rename(object: Mutable, from: string, to: string, pointer: string, renames: Renames): void {
  if (!Object.hasOwn(object, from)) return;
  if (Object.hasOwn(object, to)) {
    // Both spellings given: the spec's wins and Zigflow's value is kept as metadata.
    if (pointer !== '/document') return;
    const metadata = typeof object.metadata === 'object' && object.metadata !== null && !Array.isArray(object.metadata) ? (object.metadata as Mutable) : {};
    object.metadata = { ...metadata, [from]: object[from] };
    delete object[from];
    return;
  }
  object[to] = object[from];
  delete object[from];
  renames.set(joinPointer(pointer, to), joinPointer(pointer, from));
}

interface Defaults {
  readonly namespace: unknown;
  readonly version: unknown;
}

const NESTED_LISTS = ['do', 'try'] as const;

function walk(list: unknown, pointer: string, defaults: Defaults, renames: Renames, depth: number): void {
  const items = asArray(list);
  if (!items || depth > 64) return;
  items.forEach((item, index) => {
    const object = asObject(item);
    if (!object) return;
    for (const [name, task] of Object.entries(object)) walkTask(task, joinPointer(pointer, index, name), defaults, renames, depth + 1);
  });
}

function walkTask(value: unknown, pointer: string, defaults: Defaults, renames: Renames, depth: number): void {
  const task = asObject(value);
  if (!task) return;
  const workflow = asObject(asObject(task.run)?.workflow) as Mutable | undefined;
  if (workflow && Object.hasOwn(workflow, 'type') && !Object.hasOwn(workflow, 'name')) {
    const at = joinPointer(pointer, 'run', 'workflow');
    rename(workflow, 'type', 'name', at, renames);
    if (!Object.hasOwn(workflow, 'namespace') && typeof defaults.namespace === 'string') workflow.namespace = defaults.namespace;
    if (!Object.hasOwn(workflow, 'version') && typeof defaults.version === 'string') workflow.version = defaults.version;
  }
  for (const key of NESTED_LISTS) walk(task[key], joinPointer(pointer, key), defaults, renames, depth);
  walk(asObject(task.fork)?.branches, joinPointer(pointer, 'fork', 'branches'), defaults, renames, depth);
  walk(asObject(task.catch)?.do, joinPointer(pointer, 'catch', 'do'), defaults, renames, depth);
}

/** Where a pointer into the normalised value sits in the written document. */
export function originalPointer(pointer: string, renames: Renames): string {
  for (const [renamed, original] of renames) {
    if (pointer === renamed || pointer.startsWith(`${renamed}/`)) return original + pointer.slice(renamed.length);
  }
  return pointer;
}
