import type { Closure, Emit, Interpreter } from '../evaluate.ts';
import type { TrackedPath } from '../paths.ts';
import type { Value } from '../values.ts';
import type { NativeFn } from './types.ts';

/** A 0-arity builtin mapping its input to one output. */
export function unary(f: (input: Value, rt: Interpreter) => Value): NativeFn {
  return (rt, input, _path, _args, emit) => emit(f(input, rt), null);
}

/**
 * A builtin taking value arguments, called for every combination of their outputs. jq's C
 * builtins vary the first argument fastest (the last argument is the outer loop).
 */
export function withValues(f: (input: Value, args: Value[], rt: Interpreter) => Value): NativeFn {
  return (rt, input, _path, args, emit) => cartesian(rt, args, input, (vals) => emit(f(input, vals, rt), null));
}

export function cartesian(rt: Interpreter, args: Closure[], input: Value, body: (vals: Value[]) => void): void {
  const vals: Value[] = new Array<Value>(args.length).fill(null);
  const go = (i: number): void => {
    if (i < 0) {
      body(vals.slice());
      return;
    }
    rt.run(args[i] as Closure, input, null, (v) => {
      vals[i] = v;
      go(i - 1);
    });
  };
  go(args.length - 1);
}

/** Like `cartesian` but the first argument is the outer loop, as for jq-defined `def f($a; $b)`. */
export function cartesianFirstOuter(rt: Interpreter, args: Closure[], input: Value, body: (vals: Value[]) => void): void {
  const vals: Value[] = new Array<Value>(args.length).fill(null);
  const go = (i: number): void => {
    if (i === args.length) {
      body(vals.slice());
      return;
    }
    rt.run(args[i] as Closure, input, null, (v) => {
      vals[i] = v;
      go(i + 1);
    });
  };
  go(0);
}

export type { TrackedPath, Emit };
