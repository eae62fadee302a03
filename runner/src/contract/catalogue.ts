/**
 * Which catalogue documents an execution needs: those its plan names in `run: workflow`, and
 * theirs, transitively. Only these travel with it (in its arguments, every child's and every
 * continue-as-new), not the whole catalogue. Pure, so the service and workflow code share it.
 */
import type { Plan } from '@baton/dsl/runtime';

export type Catalogue = Readonly<Record<string, Plan>>;

/** The catalogue key of a `run: workflow` reference. */
export function catalogueKey(ref: { readonly namespace: string; readonly name: string; readonly version: string }): string {
  return `${ref.namespace}/${ref.name}/${ref.version}`;
}

/** The documents `plan` references, directly or through other documents; undefined when none. */
export function referencedCatalogue(plan: Plan, catalogue: Catalogue | undefined): Catalogue | undefined {
  if (!catalogue) return undefined;
  const needed: Record<string, Plan> = {};
  const pending = [...referencedKeys(plan)];
  while (pending.length > 0) {
    const key = pending.pop()!;
    const document = catalogue[key];
    if (!document || needed[key]) continue;
    needed[key] = document;
    pending.push(...referencedKeys(document));
  }
  return Object.keys(needed).length > 0 ? needed : undefined;
}

/** Every `run.workflow` task anywhere in the plan (nested in do, for, fork, try, catch …). */
function referencedKeys(plan: Plan): Set<string> {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const workflow = record.workflow as Record<string, unknown> | undefined;
    if (record.kind === 'run.workflow' && typeof workflow === 'object' && workflow !== null) {
      const { namespace, name, version } = workflow;
      if (typeof namespace === 'string' && typeof name === 'string' && typeof version === 'string') {
        keys.add(catalogueKey({ namespace, name, version }));
      }
    }
    for (const field of Object.values(record)) visit(field);
  };
  visit(plan.do);
  return keys;
}
