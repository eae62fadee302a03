import type { Value } from './values.ts';

/**
 * The parse tree, exactly as written: nothing writes to it after parsing. Name resolution builds a
 * separate tree from it (resolved.ts), which is what the evaluator walks.
 */
interface At {
  /** Offset of the node's first character in the program, for error positions. */
  readonly at: number;
}

export type Node =
  | ({ readonly kind: 'identity' } & At)
  | ({ readonly kind: 'recurseAll' } & At)
  | ({ readonly kind: 'literal'; readonly value: Value } & At)
  | ({ readonly kind: 'string'; readonly parts: ReadonlyArray<string | Node>; readonly format: string | null } & At)
  | ({ readonly kind: 'format'; readonly name: string } & At)
  | ({ readonly kind: 'index'; readonly target: Node; readonly index: Node; readonly optional: boolean } & At)
  | ({ readonly kind: 'slice'; readonly target: Node; readonly from: Node | null; readonly to: Node | null; readonly optional: boolean } & At)
  | ({ readonly kind: 'iterate'; readonly target: Node; readonly optional: boolean } & At)
  | ({ readonly kind: 'array'; readonly body: Node | null } & At)
  | ({ readonly kind: 'object'; readonly entries: readonly ObjectEntry[] } & At)
  | ({ readonly kind: 'neg'; readonly operand: Node } & At)
  | ({ readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'and'; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'or'; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'alt'; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'assign'; readonly op: AssignOp; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'pipe'; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'comma'; readonly left: Node; readonly right: Node } & At)
  | ({ readonly kind: 'if'; readonly cond: Node; readonly then: Node; readonly else: Node | null } & At)
  | ({ readonly kind: 'try'; readonly body: Node; readonly handler: Node | null } & At)
  | ({ readonly kind: 'reduce'; readonly source: Node; readonly pattern: Pattern; readonly init: Node; readonly update: Node } & At)
  | ({ readonly kind: 'foreach'; readonly source: Node; readonly pattern: Pattern; readonly init: Node; readonly update: Node; readonly extract: Node | null } & At)
  | ({ readonly kind: 'bind'; readonly source: Node; readonly patterns: readonly Pattern[]; readonly body: Node } & At)
  | ({ readonly kind: 'defs'; readonly def: FuncDef; readonly body: Node } & At)
  | ({ readonly kind: 'call'; readonly name: string; readonly args: readonly Node[] } & At)
  | ({ readonly kind: 'var'; readonly name: string } & At)
  | ({ readonly kind: 'loc'; readonly line: number } & At)
  | ({ readonly kind: 'label'; readonly name: string; readonly body: Node } & At)
  | ({ readonly kind: 'break'; readonly name: string } & At);

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type AssignOp = '=' | '|=' | '+=' | '-=' | '*=' | '/=' | '%=' | '//=';

export interface ObjectEntry {
  readonly key: Node;
  /** For `{a}`, `{$x}`, `{"a"}` the value the key implies. */
  readonly value: Node;
}

export interface FuncDef {
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: Node;
  readonly at: number;
}

export interface Param {
  readonly name: string;
  /** `$name` parameters are evaluated to values by the caller (cartesian product over their outputs). */
  readonly isValue: boolean;
}

export type Pattern =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'array'; readonly elements: readonly Pattern[] }
  | { readonly kind: 'object'; readonly entries: readonly PatternEntry[] };

export interface PatternEntry {
  /** Key expression; for `$name` entries the literal name. */
  readonly key: Node;
  /** `{$name}` and `{$name: p}` also bind the whole member to $name. */
  readonly bindVar: string | null;
  readonly value: Pattern | null;
}
