import type { Closure, Emit, Interpreter } from '../evaluate.ts';
import type { TrackedPath } from '../paths.ts';
import type { ResolvedFuncDef } from '../resolved.ts';
import type { Value } from '../values.ts';

export type NativeFn = (rt: Interpreter, input: Value, path: TrackedPath | null, args: Closure[], emit: Emit) => void;

/** A builtin written in TypeScript; `paths` when it may appear in a path expression (`path(f)`, `f |= g`). */
export interface NativeBuiltin {
  kind: 'native';
  fn: NativeFn;
  paths: boolean;
}

/** A builtin written in jq, parsed and resolved the first time a program uses it. */
export interface JqBuiltin {
  kind: 'jq';
  /** Set once, right after the builtin is registered (see builtins/compiled.ts). */
  def: ResolvedFuncDef;
}

export type Builtin = NativeBuiltin | JqBuiltin;

/** A group of builtins: `name/arity` → native function or jq source of its `def`. */
export type BuiltinTable = Record<string, NativeFn | { fn: NativeFn; paths: true } | string>;
