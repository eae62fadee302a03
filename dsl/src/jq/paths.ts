import { JqRuntimeError } from './errors.ts';
import { type JqObject, type Value, compare, copyObject, describe, dumpForError, getKey, hasKey, isObject, setKey, typeOf } from './values.ts';

/** One step of a path: an object key, an array index, or a slice `{start, end}` (as jq writes it). */
export type PathKey = Value;
export type Path = PathKey[];

/**
 * Where a value produced inside a path expression did not come from a path (a literal, `[...]`,
 * arithmetic): jq only complains when the path is used, so the marker travels until then.
 */
export class InvalidPath {
  constructor(readonly value: Value) {}
}

export type TrackedPath = Path | InvalidPath;

/** The path one step below `tp`, or jq's error for stepping into a value that has no path. */
export function extendPath(tp: TrackedPath | null, key: PathKey, from: Value): TrackedPath | null {
  if (tp === null) return null;
  if (tp instanceof InvalidPath) {
    throw new JqRuntimeError(`Invalid path expression near attempt to access element ${dumpForError(key, 31)} of ${dumpForError(from, 31)}`);
  }
  return [...tp, key];
}

/** A finished path expression's path; jq's error when its value did not come from a path. */
export function requirePath(tp: TrackedPath | null, v: Value): Path {
  if (tp === null || tp instanceof InvalidPath) {
    throw new JqRuntimeError(`Invalid path expression with result ${dumpForError(tp instanceof InvalidPath ? tp.value : v)}`);
  }
  return tp;
}

export function isSliceKey(k: PathKey): k is JqObject {
  return isObject(k);
}

/** Resolved [start, end) of a slice over a sequence of `length` items, jq's rounding and clamping. */
export function sliceBounds(length: number, from: Value, to: Value): [number, number] {
  if ((from !== null && typeof from !== 'number') || (to !== null && typeof to !== 'number')) {
    throw new JqRuntimeError('Array/string slice indices must be integers');
  }
  let start = from === null ? 0 : Math.floor(from);
  let end = to === null ? length : Math.ceil(to);
  if (Number.isNaN(start)) start = 0;
  if (Number.isNaN(end)) end = length;
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  start = Math.min(start, length);
  end = Math.min(Math.max(end, start), length);
  return [start, end];
}

/** Bounds of a slice path key `{start, end}`; jq requires both keys. */
function sliceKeyBounds(length: number, k: JqObject): [number, number] {
  if (!hasKey(k, 'start') || !hasKey(k, 'end')) throw new JqRuntimeError('Array/string slice indices must be integers');
  return sliceBounds(length, getKey(k, 'start'), getKey(k, 'end'));
}

function hasAstral(s: string): boolean {
  return /[\ud800-\udfff]/.test(s);
}

export function sliceString(s: string, from: Value, to: Value): string {
  if (!hasAstral(s)) {
    const [a, b] = sliceBounds(s.length, from, to);
    return s.slice(a, b);
  }
  const cps = Array.from(s);
  const [a, b] = sliceBounds(cps.length, from, to);
  return cps.slice(a, b).join('');
}

export function sliceValue(v: Value, from: Value, to: Value): Value {
  if (v === null) return null;
  if (typeof v === 'string') return sliceString(v, from, to);
  if (Array.isArray(v)) {
    const [a, b] = sliceBounds(v.length, from, to);
    return v.slice(a, b);
  }
  throw new JqRuntimeError(`Cannot index ${typeOf(v)} with ${describe({ start: from, end: to })}`);
}

/** `.[k]` on a value, with jq's rules and messages. */
export function indexValue(v: Value, k: PathKey): Value {
  if (typeof k === 'string') {
    if (isObject(v)) return getKey(v, k);
    if (v === null) return null;
  } else if (typeof k === 'number') {
    if (Array.isArray(v)) {
      if (Number.isNaN(k)) return null;
      let i = Math.trunc(k);
      if (i < 0) i += v.length;
      return i >= 0 && i < v.length ? (v[i] as Value) : null;
    }
    if (v === null) return null;
  } else if (isSliceKey(k) && (typeof v === 'string' || Array.isArray(v))) {
    if (!hasKey(k, 'start') || !hasKey(k, 'end')) throw new JqRuntimeError('Array/string slice indices must be integers');
    return sliceValue(v, getKey(k, 'start'), getKey(k, 'end'));
  } else if (Array.isArray(k) && Array.isArray(v)) {
    return indicesOf(v, k);
  } else if (k === null && isObject(v)) {
    // falls through to the error below, as jq does
  } else if (v === null && isObject(k)) {
    return null;
  }
  throw new JqRuntimeError(`Cannot index ${typeOf(v)} with ${describe(k)}`);
}

export function indicesOf(haystack: Value[], needle: Value[]): Value {
  if (needle.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    let ok = true;
    for (let j = 0; j < needle.length; j++) {
      if (compare(haystack[i + j] as Value, needle[j] as Value) !== 0) {
        ok = false;
        break;
      }
    }
    if (ok) out.push(i);
  }
  return out;
}

export function getPath(v: Value, path: Path): Value {
  let cur = v;
  for (const k of path) cur = indexValue(cur, k);
  return cur;
}

export function setPath(root: Value, path: Path, value: Value, at = 0): Value {
  if (at === path.length) return value;
  const k = path[at] as PathKey;
  if (typeof k === 'string') {
    if (root !== null && !isObject(root)) throw new JqRuntimeError(`Cannot index ${typeOf(root)} with ${describe(k)}`);
    const out = root === null ? {} : copyObject(root);
    setKey(out, k, setPath(root === null ? null : getKey(root, k), path, value, at + 1));
    return out;
  }
  if (typeof k === 'number') {
    if (root !== null && !Array.isArray(root)) throw new JqRuntimeError(`Cannot index ${typeOf(root)} with ${describe(k)}`);
    const arr = root === null ? [] : root.slice();
    let i = Number.isNaN(k) ? 0 : Math.floor(k);
    if (i < 0) {
      i += arr.length;
      if (i < 0) throw new JqRuntimeError('Out of bounds negative array index');
    }
    if (i > 536870911) throw new JqRuntimeError('Array index too large');
    const child = i < arr.length ? (arr[i] as Value) : null;
    while (arr.length < i) arr.push(null);
    arr[i] = setPath(child, path, value, at + 1);
    return arr;
  }
  if (isSliceKey(k)) {
    if (root !== null && !Array.isArray(root)) throw new JqRuntimeError(`Cannot update field at object index of ${typeOf(root)}`);
    const arr = root === null ? [] : root;
    const [a, b] = sliceKeyBounds(arr.length, k);
    const replacement = setPath(arr.slice(a, b), path, value, at + 1);
    if (!Array.isArray(replacement)) throw new JqRuntimeError('A slice of an array can only be assigned another array');
    return [...arr.slice(0, a), ...replacement, ...arr.slice(b)];
  }
  if (root === null || isObject(root)) throw new JqRuntimeError(`Cannot index ${typeOf(root)} with ${describe(k)}`);
  throw new JqRuntimeError(`Cannot update field at object index of ${typeOf(root)}`);
}

function deletePath(root: Value, path: Path, at: number): Value {
  if (root === null) return null;
  const k = path[at] as PathKey;
  const last = at === path.length - 1;
  if (typeof k === 'string') {
    if (!isObject(root)) throw new JqRuntimeError(`Cannot delete field at object index of ${typeOf(root)}`);
    if (!hasKey(root, k)) return root;
    const out = copyObject(root);
    if (last) delete out[k];
    else setKey(out, k, deletePath(getKey(root, k), path, at + 1));
    return out;
  }
  if (typeof k === 'number') {
    if (!Array.isArray(root)) throw new JqRuntimeError(`Cannot delete field at index of ${typeOf(root)}`);
    let i = Math.trunc(k);
    if (i < 0) i += root.length;
    if (i < 0 || i >= root.length) return root;
    const out = root.slice();
    if (last) out.splice(i, 1);
    else out[i] = deletePath(root[i] as Value, path, at + 1);
    return out;
  }
  if (isSliceKey(k)) {
    if (!Array.isArray(root)) throw new JqRuntimeError(`Cannot delete slice of ${typeOf(root)}`);
    const [a, b] = sliceKeyBounds(root.length, k);
    if (last) return [...root.slice(0, a), ...root.slice(b)];
    const inner = deletePath(root.slice(a, b), path, at + 1);
    if (!Array.isArray(inner)) throw new JqRuntimeError('A slice of an array can only be assigned another array');
    return [...root.slice(0, a), ...inner, ...root.slice(b)];
  }
  throw new JqRuntimeError(`Cannot delete field at index of ${typeOf(root)}`);
}

/** jq's delpaths: sort the paths and delete from the last, so earlier deletions don't shift later ones. */
export function deletePaths(root: Value, paths: Value[]): Value {
  for (const p of paths) if (!Array.isArray(p)) throw new JqRuntimeError('Path must be specified as an array');
  // Deleting the root deletes everything, whatever else was asked.
  if (paths.some((p) => (p as Value[]).length === 0)) return null;
  const sorted = paths.slice().sort(compare);
  let out = root;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Value;
    // The same path twice is deleted once.
    if (i > 0 && compare(sorted[i - 1] as Value, p) === 0) continue;
    if (!Array.isArray(p)) throw new JqRuntimeError('Path must be specified as an array');
    if (p.length === 0) return null;
    out = deletePath(out, p, 0);
  }
  return out;
}
