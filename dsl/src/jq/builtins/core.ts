import type { Closure, Emit, Interpreter } from '../evaluate.ts';
import { BreakSignal, JqHaltError, JqRuntimeError } from '../errors.ts';
import { add, arith } from '../operators.ts';
import { type TrackedPath, deletePaths, extendPath, getPath, requirePath, setPath } from '../paths.ts';
import {
  type JqObject,
  type Value,
  compare,
  describe,
  equals,
  getKey,
  hasKey,
  isObject,
  isTruthy,
  setKey,
  sortedKeys,
  toJson,
  toText,
  typeOf,
  utf8Length,
} from '../values.ts';
import { cartesianFirstOuter, unary, withValues } from './helpers.ts';
import { parseJson } from './json.ts';
import type { BuiltinTable, NativeFn } from './types.ts';

function length(v: Value): Value {
  switch (typeOf(v)) {
    case 'null':
      return 0;
    case 'boolean':
      throw new JqRuntimeError(`${describe(v)} has no length`);
    case 'number':
      return Math.abs(v as number);
    case 'string':
      return codepointLength(v as string);
    case 'array':
      return (v as Value[]).length;
    default:
      return Object.keys(v as JqObject).length;
  }
}

function codepointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function keys(v: Value): string[] | number[] {
  if (Array.isArray(v)) return v.map((_, i) => i);
  if (isObject(v)) return sortedKeys(v);
  throw new JqRuntimeError(`${describe(v)} has no keys`);
}

function has(v: Value, k: Value): boolean {
  if (v === null) return false;
  if (isObject(v) && typeof k === 'string') return hasKey(v, k);
  if (Array.isArray(v) && typeof k === 'number') return k >= 0 && k < v.length;
  throw new JqRuntimeError(`Cannot check whether ${typeOf(v)} has a ${typeOf(k)} key`);
}

// jq's kinds: true and false are different kinds, so `true | contains(false)` is a type error.
function kind(v: Value): string {
  return typeof v === 'boolean' ? String(v) : typeOf(v);
}

function contains(a: Value, b: Value): boolean {
  if (kind(a) !== kind(b)) throw new JqRuntimeError(`${describe(a)} and ${describe(b)} cannot have their containment checked`);
  return containsNested(a, b);
}

function containsNested(a: Value, b: Value): boolean {
  const k = kind(a);
  if (k !== kind(b)) return false;
  if (k === 'object') {
    const x = a as JqObject;
    const y = b as JqObject;
    return Object.keys(y).every((key) => hasKey(x, key) && containsNested(x[key] as Value, y[key] as Value));
  }
  if (k === 'array') {
    const x = a as Value[];
    return (b as Value[]).every((bv) => x.some((av) => containsNested(av, bv)));
  }
  if (k === 'string') return (a as string).includes(b as string);
  return equals(a, b);
}

/** Outputs of `f` on `input`, as the array `[f]` jq sorts and groups by. */
function keyed(rt: Interpreter, items: Value[], f: Closure): Array<{ key: Value[]; item: Value }> {
  return items.map((item) => ({ key: rt.values(f, item), item }));
}


/** jq computes `map([f])` first, so a non-iterable input fails on iteration before anything else. */
function requireSortable(rt: Interpreter, v: Value): Value[] {
  if (!Array.isArray(v)) {
    rt.iterate(v, null, () => {});
    throw new JqRuntimeError(`${describe(v)} cannot be sorted, as it is not an array`);
  }
  return v;
}

function sortBy(rt: Interpreter, v: Value, f: Closure): Value[] {
  requireSortable(rt, v);
  rt.meter.step((v as Value[]).length);
  return keyed(rt, v as Value[], f)
    .sort((x, y) => compare(x.key, y.key))
    .map((e) => e.item);
}

function groupBy(rt: Interpreter, v: Value, f: Closure): Value[][] {
  requireSortable(rt, v);
  rt.meter.step((v as Value[]).length);
  const sorted = keyed(rt, v as Value[], f).sort((x, y) => compare(x.key, y.key));
  const groups: Value[][] = [];
  let lastKey: Value[] | null = null;
  for (const e of sorted) {
    if (lastKey !== null && compare(lastKey, e.key) === 0) (groups[groups.length - 1] as Value[]).push(e.item);
    else groups.push([e.item]);
    lastKey = e.key;
  }
  return groups;
}

function extremeBy(rt: Interpreter, v: Value, f: Closure | null, wantMax: boolean): Value {
  if (!Array.isArray(v)) {
    if (f === null) throw new JqRuntimeError(`${describe(v)} and ${describe(v)} cannot be iterated over`);
    const keys: Value[] = [];
    rt.iterate(v, null, (item) => void keys.push(rt.values(f, item)));
    throw new JqRuntimeError(`${describe(v)} and ${describe(keys)} cannot be iterated over`);
  }
  if (v.length === 0) return null;
  const entries = f === null ? v.map((item) => ({ key: [item] as Value[], item })) : keyed(rt, v, f);
  let best = entries[0] as { key: Value[]; item: Value };
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i] as { key: Value[]; item: Value };
    const c = compare(e.key, best.key);
    if (wantMax ? c >= 0 : c < 0) best = e;
  }
  return best.item;
}

function flatten(rt: Interpreter, v: Value, depth: Value, out: Value[]): Value[] {
  rt.iterate(v, null, (item) => {
    // As jq's `_flatten($x)`: recurse while `$x != 0`, decrementing with `-` (so its type errors).
    if (Array.isArray(item) && depth !== 0) flatten(rt, item, arith('-', depth, 1, rt.meter), out);
    else out.push(item);
  });
  return out;
}

/**
 * Runs `f`, stopping after `n` outputs. Like jq's definition (label/break), each output is passed on
 * before the break, and the break is a `BreakSignal`, which `?//` inside `f` treats as jq does.
 */
function limit(rt: Interpreter, n: number, f: Closure, input: Value, path: TrackedPath | null, emit: Emit): void {
  if (n <= 0) return;
  let count = 0;
  const label = {};
  try {
    rt.run(f, input, path, (v, p) => {
      count++;
      emit(v, p);
      if (count >= n) throw new BreakSignal(label, 0);
    });
  } catch (e) {
    if (!(e instanceof BreakSignal && e.label === label)) throw e;
  }
}

const lastOf: NativeFn = (rt, input, path, [f], emit) => {
  let found: { v: Value; p: TrackedPath | null } | null = null;
  rt.run(f as Closure, input, path, (v, p) => {
    found = { v, p };
  });
  if (found !== null) emit((found as { v: Value }).v, (found as { p: TrackedPath | null }).p);
};

const firstOf: NativeFn = (rt, input, path, [f], emit) => limit(rt, 1, f as Closure, input, path, emit);

function range(rt: Interpreter, from: Value, upto: Value, by: Value, emit: Emit): void {
  if (typeof from !== 'number' || typeof upto !== 'number' || typeof by !== 'number') {
    throw new JqRuntimeError('Range bounds must be numeric');
  }
  if (by > 0) {
    for (let x = from; x < upto; x += by) {
      rt.meter.step();
      emit(x, null);
    }
  } else if (by < 0) {
    for (let x = from; x > upto; x += by) {
      rt.meter.step();
      emit(x, null);
    }
  } else if (from < upto) {
    for (;;) {
      rt.meter.step();
      emit(from, null);
    }
  }
}

function typeFilter(...types: string[]): { fn: NativeFn; paths: true } {
  return {
    fn: (_rt, input, path, _args, emit) => {
      if (types.includes(typeOf(input))) emit(input, path);
    },
    paths: true,
  };
}

/**
 * jq's `until`, `while` and `repeat` recurse once per iteration; these loops iterate instead
 * while every step has exactly one output, so long loops cost steps, not stack.
 */
function loop(rt: Interpreter, x: Value, next: (x: Value) => Value[], visit: (x: Value) => boolean): void {
  for (;;) {
    rt.meter.step();
    if (!visit(x)) return;
    const outs = next(x);
    if (outs.length === 1) {
      x = outs[0] as Value;
      continue;
    }
    rt.meter.enter();
    try {
      for (const o of outs) loop(rt, o, next, visit);
    } finally {
      rt.meter.leave();
    }
    return;
  }
}

function walk(rt: Interpreter, v: Value, f: Closure, emit: (v: Value) => void): void {
  rt.meter.step();
  rt.meter.enter();
  try {
    let rebuilt: Value = v;
    if (Array.isArray(v)) {
      const out: Value[] = [];
      for (const item of v) walk(rt, item, f, (w) => void out.push(w));
      rebuilt = out;
    } else if (isObject(v)) {
      const out: JqObject = {};
      for (const k of Object.keys(v)) {
        let first: Value | undefined;
        const owner = {};
        try {
          walk(rt, v[k] as Value, f, (w) => {
            first = w;
            throw owner;
          });
        } catch (e) {
          if (e !== owner) throw e;
        }
        if (first !== undefined) setKey(out, k, first);
      }
      rebuilt = out;
    }
    rt.run(f, rebuilt, null, (w) => emit(w));
  } finally {
    rt.meter.leave();
  }
}

function entries(v: Value): Value[] {
  if (isObject(v)) return Object.keys(v).map((k) => ({ key: k, value: v[k] as Value }));
  if (Array.isArray(v)) return v.map((value, key) => ({ key, value }));
  throw new JqRuntimeError(`${describe(v)} has no keys`);
}

export const coreBuiltins: BuiltinTable = {
  'empty/0': { fn: () => {}, paths: true },
  'not/0': unary((v) => !isTruthy(v)),
  'length/0': unary(length),
  'utf8bytelength/0': unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError(`${describe(v)} only strings have UTF-8 byte length`);
    return utf8Length(v);
  }),
  'keys/0': unary(keys),
  'keys_unsorted/0': unary((v) => (isObject(v) ? Object.keys(v) : keys(v))),
  'has/1': withValues((v, [k]) => has(v, k as Value)),
  'in/1': 'def in(xs): . as $x | xs | has($x);',
  'map/1': (rt, input, _path, [f], emit) => {
    const out: Value[] = [];
    rt.iterate(input, null, (item) => rt.run(f as Closure, item, null, (v) => void out.push(v)));
    rt.meter.allocate(8 * out.length);
    emit(out, null);
  },
  'map_values/1': 'def map_values(f): .[] |= f;',
  'path/1': (rt, input, _path, [f], emit) => rt.run(f as Closure, input, [], (v, p) => emit(requirePath(p, v), null)),
  'paths/0': 'def paths: path(..) | select(length > 0);',
  'paths/1': 'def paths(node_filter): path(.. | select(node_filter)) | select(length > 0);',
  'del/1': (rt, input, _path, [f], emit) => {
    const paths: Value[] = [];
    rt.run(f as Closure, input, [], (v, p) => void paths.push(requirePath(p, v)));
    emit(deletePaths(input, paths), null);
  },
  'getpath/1': {
    fn: (rt, input, path, [p], emit) =>
      rt.run(p as Closure, input, null, (pv) => {
        if (!Array.isArray(pv)) throw new JqRuntimeError('Path must be specified as an array');
        let p = path;
        let at = input;
        for (const k of pv) {
          p = extendPath(p, k, at);
          at = at === null ? null : getPath(at, [k]);
        }
        emit(getPath(input, pv), p);
      }),
    paths: true,
  },
  'setpath/2': withValues((v, [p, x]) => {
    if (!Array.isArray(p)) throw new JqRuntimeError('Path must be specified as an array');
    return setPath(v, p, x as Value);
  }),
  'delpaths/1': withValues((v, [ps]) => {
    if (!Array.isArray(ps)) throw new JqRuntimeError('Paths must be specified as an array');
    return deletePaths(v, ps);
  }),
  'to_entries/0': unary(entries),
  'from_entries/0': `def from_entries: reduce .[] as $x ({};
      . + { ($x | .key // .Key // .name // .Name): ($x | if has("value") then .value else .Value end) });`,
  'with_entries/1': 'def with_entries(f): to_entries | map(f) | from_entries;',
  'select/1': {
    fn: (rt, input, path, [f], emit) =>
      rt.run(f as Closure, input, null, (c) => {
        if (isTruthy(c)) emit(input, path);
      }),
    paths: true,
  },
  'recurse/0': { fn: (rt, input, path, _args, emit) => rt.recurseDefault(input, path, emit), paths: true },
  'recurse/1': {
    fn: (rt, input, path, [f], emit) => {
      const go = (v: Value, p: TrackedPath | null): void => {
        rt.meter.step();
        emit(v, p);
        rt.meter.enter();
        try {
          rt.run(f as Closure, v, p, go);
        } finally {
          rt.meter.leave();
        }
      };
      go(input, path);
    },
    paths: true,
  },
  'recurse/2': 'def recurse(f; cond): def r: ., (f | select(cond) | r); r;',
  'error/0': (_rt, input) => {
    throw new JqRuntimeError(input);
  },
  'error/1': (rt, input, _path, [m]) =>
    rt.run(m as Closure, input, null, (v) => {
      throw new JqRuntimeError(v);
    }),
  'add/0': (rt, input, _path, _args, emit) => {
    let acc: Value = null;
    rt.iterate(input, null, (v) => {
      acc = add(acc, v, rt.meter);
    });
    emit(acc, null);
  },
  'add/1': 'def add(f): reduce f as $x (null; . + $x);',
  'any/0': 'def any: any(.[]; .);',
  'all/0': 'def all: all(.[]; .);',
  'any/1': 'def any(f): any(.[]; f);',
  'all/1': 'def all(f): all(.[]; f);',
  'any/2': 'def any(generator; condition): isempty(first(generator | condition or empty)) | not;',
  'all/2': 'def all(generator; condition): isempty(first(generator | condition and empty));',
  'flatten/0': unary((v, rt) => flatten(rt, v, -1, [])),
  'flatten/1': withValues((v, [d], rt) => {
    if (compare(d as Value, 0) < 0) throw new JqRuntimeError('flatten depth must not be negative');
    return flatten(rt, v, d as Value, []);
  }),
  'range/1': (rt, input, _path, [n], emit) => rt.run(n as Closure, input, null, (upto) => range(rt, 0, upto, 1, emit)),
  'range/2': (rt, input, _path, args, emit) =>
    cartesianFirstOuter(rt, args, input, ([from, upto]) => range(rt, from as Value, upto as Value, 1, emit)),
  'range/3': (rt, input, _path, args, emit) =>
    cartesianFirstOuter(rt, args, input, ([from, upto, by]) => range(rt, from as Value, upto as Value, by as Value, emit)),
  'type/0': unary(typeOf),
  'infinite/0': unary(() => Infinity),
  'nan/0': unary(() => Number.NaN),
  'isinfinite/0': unary((v) => {
    if (typeof v !== 'number') return false;
    return v === Infinity || v === -Infinity;
  }),
  'isnan/0': unary((v) => {
    if (typeof v !== 'number') return false;
    return Number.isNaN(v);
  }),
  'isnormal/0': unary((v) => {
    if (typeof v !== 'number') return false;
    return Number.isFinite(v) && v !== 0 && Math.abs(v) >= 2.2250738585072014e-308;
  }),
  'sort/0': unary((v, rt) => {
    if (!Array.isArray(v)) throw new JqRuntimeError(`${describe(v)} cannot be sorted, as it is not an array`);
    rt.meter.step(v.length);
    return v.slice().sort(compare);
  }),
  'sort_by/1': (rt, input, _path, [f], emit) => emit(sortBy(rt, input, f as Closure), null),
  'group_by/1': (rt, input, _path, [f], emit) => emit(groupBy(rt, input, f as Closure), null),
  'unique/0': unary((v, rt) => {
    if (!Array.isArray(v)) throw new JqRuntimeError(`${describe(v)} cannot be sorted, as it is not an array`);
    rt.meter.step(v.length);
    const sorted = v.slice().sort(compare);
    return sorted.filter((x, i) => i === 0 || compare(sorted[i - 1] as Value, x) !== 0);
  }),
  'unique_by/1': (rt, input, _path, [f], emit) => emit(groupBy(rt, input, f as Closure).map((g) => g[0] as Value), null),
  'min/0': unary((v, rt) => extremeBy(rt, v, null, false)),
  'max/0': unary((v, rt) => extremeBy(rt, v, null, true)),
  'min_by/1': (rt, input, _path, [f], emit) => emit(extremeBy(rt, input, f as Closure, false), null),
  'max_by/1': (rt, input, _path, [f], emit) => emit(extremeBy(rt, input, f as Closure, true), null),
  'reverse/0': 'def reverse: [.[length - 1 - range(0; length)]];',
  'contains/1': withValues((v, [b]) => contains(v, b as Value)),
  'inside/1': 'def inside(xs): . as $x | xs | contains($x);',
  'combinations/0': 'def combinations: if length == 0 then [] else .[0][] as $x | (.[1:] | combinations) as $w | [$x] + $w end;',
  'combinations/1': 'def combinations(n): . as $dot | [range(n)] | map($dot) | combinations;',
  'tostring/0': unary((v) => toText(v)),
  'tonumber/0': unary((v) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(v)) return Number(v);
      const special = /^([+-]?)(nan|inf|infinity)$/i.exec(v);
      if (special !== null) return special[2]?.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
    }
    throw new JqRuntimeError(`${describe(v)} cannot be parsed as a number`);
  }),
  'env/0': (rt, _input, _path, _args, emit) => emit(rt.host.envObject, null),
  'transpose/0': `def transpose: [range(0; map(length) | max // 0) as $i | [.[][$i]]];`,
  'first/0': 'def first: .[0];',
  'last/0': 'def last: .[-1];',
  'nth/1': 'def nth($n): .[$n];',
  'first/1': { fn: firstOf, paths: true },
  'last/1': lastOf,
  'nth/2': `def nth($n; f): if $n < 0 then error("nth doesn't support negative indices") else first(skip($n; f)) end;`,
  'limit/2': {
    fn: (rt, input, path, [n, f], emit) =>
      rt.run(n as Closure, input, null, (nv) => {
        if (typeof nv !== 'number') throw new JqRuntimeError(`Invalid limit: must be a number`);
        if (nv < 0) throw new JqRuntimeError(`limit doesn't support negative count`);
        limit(rt, nv, f as Closure, input, path, emit);
      }),
    paths: true,
  },
  'skip/2': {
    fn: (rt, input, path, [n, f], emit) =>
      rt.run(n as Closure, input, null, (nv) => {
        if (typeof nv !== 'number') throw new JqRuntimeError(`Invalid skip: must be a number`);
        if (nv < 0) throw new JqRuntimeError(`skip doesn't support negative count`);
        let seen = 0;
        rt.run(f as Closure, input, path, (v, p) => {
          if (seen++ >= nv) emit(v, p);
        });
      }),
    paths: true,
  },
  'until/2': (rt, input, _path, [cond, update], emit) => {
    const visit = (x: Value): boolean => {
      const conds = rt.values(cond as Closure, x);
      if (conds.length === 1) {
        if (isTruthy(conds[0] as Value)) {
          emit(x, null);
          return false;
        }
        return true;
      }
      for (const c of conds) {
        if (isTruthy(c)) emit(x, null);
        else for (const n of rt.values(update as Closure, x)) loop(rt, n, (y) => rt.values(update as Closure, y), visit);
      }
      return false;
    };
    loop(rt, input, (y) => rt.values(update as Closure, y), visit);
  },
  'while/2': (rt, input, _path, [cond, update], emit) => {
    const visit = (x: Value): boolean => {
      const conds = rt.values(cond as Closure, x);
      if (conds.length === 1) {
        if (!isTruthy(conds[0] as Value)) return false;
        emit(x, null);
        return true;
      }
      for (const c of conds) {
        if (isTruthy(c)) {
          emit(x, null);
          for (const n of rt.values(update as Closure, x)) loop(rt, n, (y) => rt.values(update as Closure, y), visit);
        }
      }
      return false;
    };
    loop(rt, input, (y) => rt.values(update as Closure, y), visit);
  },
  // jq 1.8.2 repeats `f` on the same input (`def repeat(f): def _repeat: f, _repeat; _repeat;`).
  'repeat/1': (rt, input, _path, [f], emit) => {
    for (;;) {
      rt.meter.step();
      rt.run(f as Closure, input, null, emit);
    }
  },
  // jq: `label $go | (first(g | false), true) | ., break $go` — false is passed on before the break.
  'isempty/1': (rt, input, _path, [f], emit) => {
    const label = {};
    try {
      rt.run(f as Closure, input, null, () => {
        emit(false, null);
        throw new BreakSignal(label, 0);
      });
    } catch (e) {
      if (e instanceof BreakSignal && e.label === label) return;
      throw e;
    }
    emit(true, null);
  },
  'tojson/0': unary((v, rt) => {
    const s = toJson(v);
    rt.meter.allocate(s.length);
    return s;
  }),
  'fromjson/0': unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError(`${describe(v)} only strings can be parsed`);
    return parseJson(v);
  }),
  'walk/1': (rt, input, _path, [f], emit) => walk(rt, input, f as Closure, (v) => emit(v, null)),
  'IN/1': 'def IN(s): any(s == .; .);',
  'IN/2': 'def IN(src; s): any(src == s; .);',
  'INDEX/2': 'def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);',
  'INDEX/1': 'def INDEX(idx_expr): INDEX(.[]; idx_expr);',
  'abs/0': 'def abs: if . < 0 then - . else . end;',
  'isfinite/0': 'def isfinite: type == "number" and (isinfinite | not);',
  'toboolean/0': unary((v) => {
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new JqRuntimeError(`${describe(v)} cannot be parsed as a boolean`);
  }),
  'bsearch/1': withValues((v, [target]) => {
    if (!Array.isArray(v)) throw new JqRuntimeError(`${describe(v)} cannot be searched from`);
    let lo = 0;
    let hi = v.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compare(v[mid] as Value, target as Value);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1 - lo;
  }),
  'JOIN/2': 'def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];',
  'JOIN/3': 'def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];',
  'JOIN/4': 'def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;',
  'pick/1': 'def pick(pathexps): . as $top | reduce path(pathexps) as $p (null; setpath($p; $top | getpath($p)));',
  'halt/0': () => {
    throw new JqHaltError(null);
  },
  'halt_error/0': (_rt, input) => {
    throw new JqHaltError(input);
  },
  'halt_error/1': (rt, input, _path, [code]) =>
    rt.run(code as Closure, input, null, (c) => {
      if (typeof c !== 'number') throw new JqRuntimeError('halt_error/1: number required');
      throw new JqHaltError(input);
    }),
  'input/0': () => {
    throw new JqRuntimeError('No more inputs');
  },
  'inputs/0': () => {},
  'input_filename/0': unary(() => null),
  'input_line_number/0': unary(() => 0),
  'debug/0': { fn: (_rt, input, path, _args, emit) => emit(input, path), paths: true },
  'debug/1': { fn: (_rt, input, path, _args, emit) => emit(input, path), paths: true },
  'stderr/0': { fn: (_rt, input, path, _args, emit) => emit(input, path), paths: true },
  'have_literal_numbers/0': unary(() => true),
  'have_decnum/0': unary(() => false),
  'arrays/0': typeFilter('array'),
  'objects/0': typeFilter('object'),
  'iterables/0': typeFilter('array', 'object'),
  'booleans/0': typeFilter('boolean'),
  'numbers/0': typeFilter('number'),
  'strings/0': typeFilter('string'),
  'nulls/0': typeFilter('null'),
  'values/0': typeFilter('boolean', 'number', 'string', 'array', 'object'),
  'scalars/0': typeFilter('null', 'boolean', 'number', 'string'),
  'finites/0': 'def finites: select(isinfinite or isnan | not);',
  'normals/0': 'def normals: select(isnormal);',
  'splits/1': 'def splits($re): splits($re; null);',
  'splits/2': 'def splits($re; flags): split($re; flags) | .[];',
};

