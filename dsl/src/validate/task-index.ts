/** Every task body in a document, by JSON pointer, with the sub-schema that describes its kind. */
import { joinPointer } from '../parse/pointer.ts';
import { taskKey } from '../document/task-kind.ts';
import { asArray, asObject } from '../document/values.ts';
import type { SchemaVersion } from './schema-version.ts';
import { callProtocols } from './workflow-schema.ts';

/** pointer → TASK_SCHEMAS key, or undefined for a body that names no task kind. */
export type TaskIndex = Map<string, string | undefined>;

export function indexTasks(root: unknown, version: SchemaVersion): TaskIndex {
  const protocols: ReadonlySet<string> = new Set(callProtocols(version));
  const index: TaskIndex = new Map();
  const document = asObject(root);
  if (!document) return index;
  list(document.do, '/do', index, protocols);
  const functions = asObject(asObject(document.use)?.functions);
  if (functions) for (const [name, body] of Object.entries(functions)) task(body, joinPointer('/use/functions', name), index, protocols);
  return index;
}

function list(value: unknown, pointer: string, index: TaskIndex, protocols: ReadonlySet<string>): void {
  asArray(value)?.forEach((item, position) => {
    const entries = asObject(item);
    if (!entries) return;
    const keys = Object.keys(entries);
    if (keys.length !== 1) return;
    task(entries[keys[0]!], joinPointer(pointer, position, keys[0]!), index, protocols);
  });
}

function task(value: unknown, pointer: string, index: TaskIndex, protocols: ReadonlySet<string>): void {
  const body = asObject(value);
  if (!body) return;
  const key = taskKey(body);
  if (key === 'call') {
    const call = body.call;
    index.set(pointer, typeof call === 'string' && protocols.has(call) ? `call:${call}` : 'call:function');
  } else {
    index.set(pointer, key);
  }
  list(body.do, joinPointer(pointer, 'do'), index, protocols);
  list(body.try, joinPointer(pointer, 'try'), index, protocols);
  list(asObject(body.catch)?.do, joinPointer(pointer, 'catch', 'do'), index, protocols);
  list(asObject(body.fork)?.branches, joinPointer(pointer, 'fork', 'branches'), index, protocols);
}

/** The innermost task whose body contains `pointer`: its longest prefix that is a task. */
export function owningTask(pointer: string, index: TaskIndex): string | undefined {
  for (let end = pointer.length; end > 0; end = pointer.lastIndexOf('/', end - 1)) {
    const prefix = pointer.slice(0, end);
    if (index.has(prefix)) return prefix;
  }
  return undefined;
}
