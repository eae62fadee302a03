/** Zigflow: a file whose top-level tasks are all `do` defines one workflow type per task. */
import { asArray, asObject } from './values.ts';

export function workflowTypes(list: unknown): string[] | undefined {
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
