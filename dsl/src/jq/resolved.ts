import type { AssignOp, BinaryOp, Param } from './ast.ts';
import type { Builtin } from './builtins/types.ts';
import type { Value } from './values.ts';

/**
 * The tree the evaluator walks: a parse tree (ast.ts) with every name bound and what evaluation
 * would otherwise recompute at each step precomputed, built by resolve.ts. The parse tree is left
 * as parsed; the flags live on these nodes, so reading them costs a field load, not a lookup.
 */
interface Resolved {
  readonly at: number;
  /** Exactly one output, computable without continuations (literals, `.`, `$x`, `.a.b`, operators over those). */
  readonly simple: boolean;
  /** A `?//` occurs in the expression (not looking into the functions it calls): its outputs must stay lazy. */
  readonly alternatives: boolean;
}

export type ResolvedNode =
  | ({ readonly kind: 'identity' } & Resolved)
  | ({ readonly kind: 'recurseAll' } & Resolved)
  | ({ readonly kind: 'literal'; readonly value: Value } & Resolved)
  | ({ readonly kind: 'string'; readonly parts: ReadonlyArray<string | ResolvedNode>; readonly format: string | null } & Resolved)
  | ({ readonly kind: 'format'; readonly name: string } & Resolved)
  | ({ readonly kind: 'index'; readonly target: ResolvedNode; readonly index: ResolvedNode; readonly optional: boolean } & Resolved)
  | ({ readonly kind: 'slice'; readonly target: ResolvedNode; readonly from: ResolvedNode | null; readonly to: ResolvedNode | null; readonly optional: boolean } & Resolved)
  | ({ readonly kind: 'iterate'; readonly target: ResolvedNode; readonly optional: boolean } & Resolved)
  | ({ readonly kind: 'array'; readonly body: ResolvedNode | null } & Resolved)
  | ({ readonly kind: 'object'; readonly entries: readonly ResolvedObjectEntry[] } & Resolved)
  | ({ readonly kind: 'neg'; readonly operand: ResolvedNode } & Resolved)
  | ({ readonly kind: 'binary'; readonly op: BinaryOp; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'and'; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'or'; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'alt'; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'assign'; readonly op: AssignOp; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'pipe'; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'comma'; readonly left: ResolvedNode; readonly right: ResolvedNode } & Resolved)
  | ({ readonly kind: 'if'; readonly cond: ResolvedNode; readonly then: ResolvedNode; readonly else: ResolvedNode | null } & Resolved)
  | ({ readonly kind: 'try'; readonly body: ResolvedNode; readonly handler: ResolvedNode | null } & Resolved)
  | ({ readonly kind: 'reduce'; readonly source: ResolvedNode; readonly pattern: ResolvedPattern; readonly init: ResolvedNode; readonly update: ResolvedNode } & Resolved)
  | ({
      readonly kind: 'foreach';
      readonly source: ResolvedNode;
      readonly pattern: ResolvedPattern;
      readonly init: ResolvedNode;
      readonly update: ResolvedNode;
      readonly extract: ResolvedNode | null;
    } & Resolved)
  | ({ readonly kind: 'bind'; readonly source: ResolvedNode; readonly patterns: readonly ResolvedPattern[]; readonly body: ResolvedNode } & Resolved)
  /** Only definitions something calls: an unused one is dropped, as jq does. */
  | ({ readonly kind: 'defs'; readonly def: ResolvedFuncDef; readonly body: ResolvedNode } & Resolved)
  | ({ readonly kind: 'call'; readonly name: string; readonly args: readonly ResolvedNode[]; readonly binding: CallBinding } & Resolved)
  | ({ readonly kind: 'var'; readonly name: string } & Resolved)
  | ({ readonly kind: 'loc'; readonly line: number } & Resolved)
  | ({ readonly kind: 'label'; readonly name: string; readonly body: ResolvedNode } & Resolved)
  | ({ readonly kind: 'break'; readonly name: string } & Resolved);

/**
 * What a call refers to: a definition or filter parameter in scope (`local`: found on the
 * evaluation environment, whose bindings differ per call), or the builtin's implementation itself.
 */
export type CallBinding = { readonly kind: 'local' } | Builtin;

export interface ResolvedObjectEntry {
  readonly key: ResolvedNode;
  readonly value: ResolvedNode;
}

export interface ResolvedFuncDef {
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: ResolvedNode;
  readonly at: number;
}

export type ResolvedPattern =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'array'; readonly elements: readonly ResolvedPattern[] }
  | { readonly kind: 'object'; readonly entries: readonly ResolvedPatternEntry[] };

export interface ResolvedPatternEntry {
  readonly key: ResolvedNode;
  readonly bindVar: string | null;
  readonly value: ResolvedPattern | null;
}
