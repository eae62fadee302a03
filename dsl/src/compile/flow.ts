/** `then` directives → FlowTarget, resolved against the sibling tasks of the same list. */
import type { FlowTarget } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { didYouMean, MAX_CANDIDATES } from '../document/suggest.ts';

export interface Siblings {
  readonly names: ReadonlyMap<string, number>;
  /** The list around the task that owns this list. */
  readonly enclosing?: Siblings;
}

export function flowTarget(ctx: CompileContext, value: unknown, pointer: string, siblings: Siblings): FlowTarget {
  if (typeof value !== 'string') return { kind: 'continue' };
  if (value === 'continue' || value === 'exit' || value === 'end') return { kind: value };
  const index = siblings.names.get(value);
  if (index !== undefined) return { kind: 'goto', name: value, index };
  if (isInEnclosingList(value, siblings)) {
    ctx.error('SW301', pointer, `'${value}' is not a task in this list`, {
      hint: `'${value}' belongs to an enclosing list; \`then\` names tasks of the same list only — use \`then: exit\` to leave this one and set \`then: ${value}\` on its owner`,
    });
    return { kind: 'continue' };
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
  return { kind: 'continue' };
}

function isInEnclosingList(name: string, siblings: Siblings): boolean {
  for (let list = siblings.enclosing; list; list = list.enclosing) if (list.names.has(name)) return true;
  return false;
}
