/** `then` directives: each names `continue`, `exit`, `end` or a sibling task of the same list. */
import type { ValidationContext } from './context.ts';
import { didYouMean, MAX_CANDIDATES } from '../document/suggest.ts';

export interface Siblings {
  readonly names: ReadonlyMap<string, number>;
  /** The list around the task that owns this list. */
  readonly enclosing?: Siblings;
}

const DIRECTIVES: ReadonlySet<string> = new Set(['continue', 'exit', 'end']);

export function checkFlowTarget(ctx: ValidationContext, value: unknown, pointer: string, siblings: Siblings): void {
  if (typeof value !== 'string' || DIRECTIVES.has(value) || siblings.names.has(value)) return;
  if (isInEnclosingList(value, siblings)) {
    ctx.error('SW301', pointer, `'${value}' is not a task in this list`, {
      hint: `'${value}' belongs to an enclosing list; \`then\` names tasks of the same list only — use \`then: exit\` to leave this one and set \`then: ${value}\` on its owner`,
    });
    return;
  }
  const suggestion = siblings.names.size <= MAX_CANDIDATES ? didYouMean(value, siblings.names.keys()) : undefined;
  const some: string[] = [];
  for (const name of siblings.names.keys()) {
    if (some.length === 8) break;
    some.push(name);
  }
  ctx.error('SW301', pointer, `'${value}' is not a task in this list`, {
    hint: suggestion ?? `use continue, exit, end or one of: ${some.join(', ') || '(no sibling tasks)'}${siblings.names.size > some.length ? ', …' : ''}`,
  });
}

/** Where a `then` leads: the positions it may continue at (none when it ends the flow). */
export function successorsOf(value: unknown, index: number, siblings: Siblings): number[] {
  if (typeof value !== 'string' || value === 'continue') return [index + 1];
  if (DIRECTIVES.has(value)) return [];
  const target = siblings.names.get(value);
  // A target that names no sibling is faulted above; the flow is read as continuing.
  return target === undefined ? [index + 1] : [target];
}

function isInEnclosingList(name: string, siblings: Siblings): boolean {
  for (let list = siblings.enclosing; list; list = list.enclosing) if (list.names.has(name)) return true;
  return false;
}
