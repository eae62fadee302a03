/**
 * How deeply a jq program may nest. Parsing, name resolution and evaluation recurse, and the
 * stack they recurse on differs by thread: a workflow's worker thread overflowed where the
 * service's main thread, validating the same document, did not (array nesting 1,890 against 2,501;
 * a `,` list of 30,000 items passed validation and failed in the workflow). Fixed limits, well
 * inside the smaller stack, give every thread the same answer.
 */
import type { Node } from './ast.ts';

/**
 * Levels of the parser's recursion: each sub-expression and each term is one (so a parenthesis
 * costs two), as is each link of the chains it builds by recursion (`//`, `-`, `elif`, patterns).
 */
export const MAX_NESTING = 1_000;

/** Nodes on the deepest path of the parse tree: nesting, and chains (`,` `|` `+` `.a.b`) one level an item. */
export const MAX_TREE_DEPTH = 4_000;

/** The offset of the first node deeper than MAX_TREE_DEPTH, if any; walks without recursing. */
export function tooDeepAt(root: Node): number | undefined {
  const pending: Array<readonly [unknown, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push([item, depth]);
      continue;
    }
    const node = value as Partial<Node>;
    if (typeof node.kind !== 'string') continue;
    if (depth + 1 > MAX_TREE_DEPTH) return node.at ?? 0;
    // A literal's value is data, not program.
    if (node.kind === 'literal') continue;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return undefined;
}
