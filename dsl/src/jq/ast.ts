import type { Builtin } from './builtins/types.ts';
import type { Value } from './values.ts';

/** Every node carries the offset of its first character in the program, for error positions. */
interface At {
  at: number;
  /** Cached by the evaluator: exactly one output, computable without generators (see evaluate.ts). */
  simple?: boolean;
}

export type Node =
  | ({ kind: 'identity' } & At)
  | ({ kind: 'recurseAll' } & At)
  | ({ kind: 'literal'; value: Value } & At)
  | ({ kind: 'string'; parts: Array<string | Node>; format: string | null } & At)
  | ({ kind: 'format'; name: string } & At)
  | ({ kind: 'index'; target: Node; index: Node; optional: boolean } & At)
  | ({ kind: 'slice'; target: Node; from: Node | null; to: Node | null; optional: boolean } & At)
  | ({ kind: 'iterate'; target: Node; optional: boolean } & At)
  | ({ kind: 'array'; body: Node | null } & At)
  | ({ kind: 'object'; entries: ObjectEntry[] } & At)
  | ({ kind: 'neg'; operand: Node } & At)
  | ({ kind: 'binary'; op: BinaryOp; left: Node; right: Node } & At)
  | ({ kind: 'and'; left: Node; right: Node } & At)
  | ({ kind: 'or'; left: Node; right: Node } & At)
  | ({ kind: 'alt'; left: Node; right: Node } & At)
  | ({ kind: 'assign'; op: AssignOp; left: Node; right: Node } & At)
  | ({ kind: 'pipe'; left: Node; right: Node } & At)
  | ({ kind: 'comma'; left: Node; right: Node } & At)
  | ({ kind: 'if'; cond: Node; then: Node; else: Node | null } & At)
  | ({ kind: 'try'; body: Node; handler: Node | null } & At)
  | ({ kind: 'reduce'; source: Node; pattern: Pattern; init: Node; update: Node } & At)
  | ({ kind: 'foreach'; source: Node; pattern: Pattern; init: Node; update: Node; extract: Node | null } & At)
  | ({ kind: 'bind'; source: Node; patterns: Pattern[]; body: Node } & At)
  | ({ kind: 'defs'; def: FuncDef; body: Node } & At)
  | ({ kind: 'call'; name: string; args: Node[]; target: CallTarget; builtin: Builtin | undefined } & At)
  | ({ kind: 'var'; name: string } & At)
  | ({ kind: 'loc'; line: number } & At)
  | ({ kind: 'label'; name: string; body: Node } & At)
  | ({ kind: 'break'; name: string } & At);

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type AssignOp = '=' | '|=' | '+=' | '-=' | '*=' | '/=' | '%=' | '//=';

export interface ObjectEntry {
  key: Node;
  /** null when the value is implied by the key (`{a}`, `{$x}`, `{"a"}`). */
  value: Node;
}

export interface FuncDef {
  name: string;
  params: Param[];
  body: Node;
  at: number;
}

export interface Param {
  name: string;
  /** `$name` parameters are evaluated to values by the caller (cartesian product over their outputs). */
  isValue: boolean;
}

/** What a call refers to, filled in by the resolver so evaluation never searches by name for builtins. */
export type CallTarget = 'unresolved' | 'builtin' | 'local';

export type Pattern =
  | { kind: 'var'; name: string }
  | { kind: 'array'; elements: Pattern[] }
  | { kind: 'object'; entries: PatternEntry[] };

export interface PatternEntry {
  /** Key expression; for `$name` entries the literal name. */
  key: Node;
  /** `{$name}` and `{$name: p}` also bind the whole member to $name. */
  bindVar: string | null;
  value: Pattern | null;
}
