import { JqRuntimeError } from './errors.ts';

/** A JSON value as jq sees it. Objects are plain objects; numbers are IEEE doubles. */
export type Value = null | boolean | number | string | Value[] | JqObject;
export interface JqObject {
  [key: string]: Value;
}

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

const hasOwn = Object.prototype.hasOwnProperty;

export function typeOf(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(v) ? 'array' : 'object';
  }
}

export function isObject(v: Value): v is JqObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function isTruthy(v: Value): boolean {
  return v !== null && v !== false;
}

export function hasKey(o: JqObject, key: string): boolean {
  return hasOwn.call(o, key);
}

export function getKey(o: JqObject, key: string): Value {
  return hasOwn.call(o, key) ? (o[key] as Value) : null;
}

/** Sets a key without ever touching the prototype (a key may be "__proto__"). */
export function setKey(o: JqObject, key: string, v: Value): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

export function copyObject(o: JqObject): JqObject {
  const out: JqObject = {};
  for (const k of Object.keys(o)) setKey(out, k, o[k] as Value);
  return out;
}

// ---- ordering ---------------------------------------------------------------

const typeRank: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5 };

/** Code point order (what jq gets from comparing UTF-8 bytes), not UTF-16 unit order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function sortedKeys(o: JqObject): string[] {
  return Object.keys(o).sort(compareStrings);
}

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
export function compare(a: Value, b: Value): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) {
    if (ta === 'boolean' && tb === 'boolean') return 0;
    return typeRank[ta] < typeRank[tb] ? -1 : 1;
  }
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a === false ? -1 : 1;
    case 'number': {
      const x = a as number;
      const y = b as number;
      // jq sorts nan below every number.
      if (Number.isNaN(x)) return Number.isNaN(y) ? -1 : -1;
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return compareStrings(a as string, b as string);
    case 'array': {
      const x = a as Value[];
      const y = b as Value[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] as Value, y[i] as Value);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    default: {
      const x = a as JqObject;
      const y = b as JqObject;
      const kx = sortedKeys(x);
      const ky = sortedKeys(y);
      const c = compare(kx, ky);
      if (c !== 0) return c;
      for (const k of kx) {
        const d = compare(x[k] as Value, y[k] as Value);
        if (d !== 0) return d;
      }
      return 0;
    }
  }
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  if (ta === 'number') return a === b;
  if (ta === 'array') {
    const x = a as Value[];
    const y = b as Value[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equals(x[i] as Value, y[i] as Value)) return false;
    return true;
  }
  if (ta === 'object') {
    const x = a as JqObject;
    const y = b as JqObject;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!hasOwn.call(y, k) || !equals(x[k] as Value, y[k] as Value)) return false;
    }
    return true;
  }
  return false;
}

// ---- printing ---------------------------------------------------------------

const DBL_MAX = 1.7976931348623157e308;

/** jq 1.8's number printing: shortest round-trip digits, C-style exponent when the point is far away. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'null';
  if (n === Infinity) n = DBL_MAX;
  else if (n === -Infinity) n = -DBL_MAX;
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const exp = n.toExponential();
  const e = exp.indexOf('e');
  const sign = n < 0 ? '-' : '';
  const mantissa = exp.slice(sign ? 1 : 0, e);
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp.slice(e + 1)) + 1;
  if (decpt <= -4 || decpt > digits.length + 15) {
    const x = decpt - 1;
    const ex = Math.abs(x);
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${rest}e${x < 0 ? '-' : '+'}${ex < 10 ? '0' : ''}${ex}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

export function quoteString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x7f) {
      switch (c) {
        case 0x22:
          rep = '\\"';
          break;
        case 0x5c:
          rep = '\\\\';
          break;
        case 0x0a:
          rep = '\\n';
          break;
        case 0x09:
          rep = '\\t';
          break;
        case 0x0d:
          rep = '\\r';
          break;
        case 0x08:
          rep = '\\b';
          break;
        case 0x0c:
          rep = '\\f';
          break;
        default:
          rep = `\\u${c.toString(16).padStart(4, '0')}`;
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    }
    if (rep !== null) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out}${s.slice(start)}"`;
}

export function toJson(v: Value): string {
  switch (typeOf(v)) {
    case 'null':
      return 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v as number);
    case 'string':
      return quoteString(v as string);
    case 'array': {
      const a = v as Value[];
      let out = '[';
      for (let i = 0; i < a.length; i++) out += (i ? ',' : '') + toJson(a[i] as Value);
      return `${out}]`;
    }
    default: {
      const o = v as JqObject;
      let out = '{';
      let first = true;
      for (const k of Object.keys(o)) {
        out += `${first ? '' : ','}${quoteString(k)}:${toJson(o[k] as Value)}`;
        first = false;
      }
      return `${out}}`;
    }
  }
}

/** `tostring`: strings unchanged, everything else as JSON. */
export function toText(v: Value): string {
  return typeof v === 'string' ? v : toJson(v);
}

/** A value as jq quotes it in error messages: JSON cut to fit a buffer, keeping its closing character. */
export function dumpForError(v: Value, bufferSize = 30): string {
  const text = toJson(v);
  if (utf8Length(text) <= bufferSize - 1) return text;
  return `${utf8Prefix(text, bufferSize - 5)}...${text[text.length - 1]}`;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function utf8Prefix(s: string, maxBytes: number): string {
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (n + w > maxBytes) break;
    n += w;
    i += w === 4 ? 2 : 1;
  }
  return s.slice(0, i);
}

/** "type (value)" as jq's messages show an operand. */
export function describe(v: Value): string {
  return `${typeOf(v)} (${dumpForError(v)})`;
}

export function fail(message: string): never {
  throw new JqRuntimeError(message);
}

/**
 * What the host receives: jq prints nan as null and infinities as the largest double, so outputs
 * are plain JSON. Returns the same reference when nothing needs changing.
 */
export function toHost(v: Value): Value {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    return Number.isNaN(v) ? null : v > 0 ? DBL_MAX : -DBL_MAX;
  }
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: Value[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as Value;
      const c = toHost(item);
      if (out === null && c !== item) out = v.slice(0, i);
      if (out !== null) out.push(c);
    }
    return out ?? v;
  }
  let out: JqObject | null = null;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const item = v[k] as Value;
    const c = toHost(item);
    if (out === null && c !== item) {
      out = {};
      for (let j = 0; j < i; j++) setKey(out, keys[j] as string, v[keys[j] as string] as Value);
    }
    if (out !== null) setKey(out, k, c);
  }
  return out ?? v;
}

// ---- the host boundary ------------------------------------------------------

/**
 * Turns an `unknown` from the host into a jq value, the way JSON.stringify would see it
 * (toJSON honoured, undefined members dropped, undefined array items as null). Returns the
 * same reference when the input is already plain JSON, so nothing is copied in the common case.
 */
export function fromHost(input: unknown): Value {
  if (input !== null && typeof input === 'object') {
    if (verifiedJson.has(input)) return input as Value;
    if (isPlainJson(input, 0)) {
      verifiedJson.add(input);
      return input as Value;
    }
  } else if (typeof input !== 'bigint' && typeof input !== 'undefined' && typeof input !== 'function' && typeof input !== 'symbol') {
    return input as Value;
  }
  return convertFromHost(input);
}

/**
 * Objects already checked to be plain JSON, so a workflow evaluating many expressions over the same
 * state walks it once. Hosts must treat values given to the engine as immutable.
 */
const verifiedJson = new WeakSet<object>();

const MAX_PLAIN_DEPTH = 10_000;

function isPlainJson(v: unknown, depth: number): boolean {
  if (depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (item === null) continue;
      const t = typeof item;
      if (t === 'object') {
        if (!verifiedJson.has(item as object) && !isPlainJson(item, depth + 1)) return false;
      } else if (t !== 'string' && t !== 'number' && t !== 'boolean') return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const k in v as object) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) return false;
    const item: unknown = (v as Record<string, unknown>)[k];
    if (item === null) continue;
    const t = typeof item;
    if (t === 'object') {
      if (!verifiedJson.has(item as object) && !isPlainJson(item, depth + 1)) return false;
    } else if (t !== 'string' && t !== 'number' && t !== 'boolean') return false;
  }
  return true;
}

function convertFromHost(input: unknown): Value {
  const seen = new Set<object>();
  const convert = (v: unknown, inArray: boolean): Value | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return v;
      case 'undefined':
      case 'function':
      case 'symbol':
        return inArray ? null : undefined;
      case 'bigint':
        return Number(v);
      case 'object': {
        if (v === null) return null;
        const withToJson = v as { toJSON?: unknown };
        if (typeof withToJson.toJSON === 'function') {
          return convert((withToJson.toJSON as () => unknown).call(v), inArray);
        }
        if (seen.has(v)) throw new JqRuntimeError('Cannot use a cyclic value as jq input');
        seen.add(v);
        try {
          if (Array.isArray(v)) {
            let out: Value[] | null = null;
            for (let i = 0; i < v.length; i++) {
              const item: unknown = v[i];
              const c = convert(item, true) as Value;
              if (out === null && c !== item) out = v.slice(0, i) as Value[];
              if (out !== null) out.push(c);
            }
            return out ?? (v as Value[]);
          }
          const proto: unknown = Object.getPrototypeOf(v);
          let out: JqObject | null = proto === Object.prototype || proto === null ? null : {};
          const src = v as Record<string, unknown>;
          const keys = Object.keys(src);
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i] as string;
            const item = src[k];
            const c = convert(item, false);
            if (out === null && c !== item) {
              out = {};
              for (let j = 0; j < i; j++) setKey(out, keys[j] as string, src[keys[j] as string] as Value);
            }
            if (out !== null && c !== undefined) setKey(out, k, c);
          }
          return out ?? (v as JqObject);
        } finally {
          seen.delete(v);
        }
      }
    }
    return null;
  };
  return convert(input, true) ?? null;
}
