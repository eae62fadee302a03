/** Zigflow's task-level `metadata.searchAttributes` → the attributes upserted when the task starts. */
import type { SearchAttributeKind, SearchAttributeSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';
import { asObject } from '../document/values.ts';

export function searchAttributes(ctx: CompileContext, metadata: Readonly<Record<string, unknown>> | undefined): SearchAttributeSpec[] | undefined {
  if (ctx.dialect !== 'zigflow' || !metadata || !Object.hasOwn(metadata, 'searchAttributes')) return undefined;
  return Object.entries(asObject(metadata.searchAttributes)!).map(([name, entry]) => {
    const object = asObject(entry)!;
    return { name, type: String(object.type).toLowerCase() as SearchAttributeKind, value: template(ctx, object.value ?? null) };
  });
}
