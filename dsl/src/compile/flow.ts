/** `then` directives → FlowTarget, resolved against the sibling tasks of the same list. */
import type { FlowTarget } from '../plan.ts';

/** Task name → position in its list. */
export type Siblings = ReadonlyMap<string, number>;

export function flowTarget(value: unknown, siblings: Siblings): FlowTarget {
  if (typeof value !== 'string') return { kind: 'continue' };
  if (value === 'continue' || value === 'exit' || value === 'end') return { kind: value };
  return { kind: 'goto', name: value, index: siblings.get(value)! };
}
