/** The arguments `run: shell`, `run: script` and `run: container` share: expressions in arguments, environment and stdin. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asArray, asObject } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';

export function checkProcessFields(site: TaskSite, process: JsonObject, at: string): void {
  const { ctx, scope } = site;
  for (const key of ['environment', 'stdin']) {
    if (process[key] !== undefined) checkTemplate(ctx, process[key], joinPointer(at, key), scope);
  }
  const args = process.arguments;
  const pointer = joinPointer(at, 'arguments');
  if (asArray(args)) {
    checkTemplate(ctx, args, pointer, scope);
    return;
  }
  // DSL 1.0.0's mapping: each key, then its value.
  for (const [key, item] of Object.entries(asObject(args) ?? {})) {
    checkTemplate(ctx, key, joinPointer(pointer, key), scope);
    if (item !== null && item !== undefined) checkTemplate(ctx, item, joinPointer(pointer, key), scope);
  }
}
