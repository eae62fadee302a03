/** What parsing produces: the value, positions on demand, or coded problems. */

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface ParseProblem {
  readonly code: 'SW100' | 'SW101' | 'SW102' | 'SW103' | 'SW104' | 'SW105' | 'SW106' | 'SW107';
  readonly message: string;
  readonly position: Position;
  readonly pointer: string;
  readonly hint?: string;
}

export interface SourceDocument {
  readonly text: string;
  readonly value: unknown;
  /** Position of the node at `pointer`, or of its nearest existing ancestor. `key` points at the mapping key instead of the value. */
  locate(pointer: string, key?: boolean): Position;
  position(offset: number): Position;
}

export type ParseResult =
  | { readonly ok: true; readonly source: SourceDocument }
  | { readonly ok: false; readonly problems: readonly ParseProblem[] };

export const START: Position = { line: 1, column: 1, offset: 0 };

export function fail(code: ParseProblem['code'], message: string, position: Position, hint?: string, pointer = ''): ParseResult {
  return { ok: false, problems: [{ code, message, position, pointer, ...(hint ? { hint } : {}) }] };
}

