import type { BinaryOp } from './ast.ts';
import type { BudgetMeter } from './budget.ts';
import { JqRuntimeError } from './errors.ts';
import { type JqObject, type Value, compare, copyObject, describe, equals, getKey, hasKey, isObject, setKey } from './values.ts';

export function compareOp(op: BinaryOp, l: Value, r: Value): boolean {
  switch (op) {
    case '==':
      return equals(l, r);
    case '!=':
      return !equals(l, r);
    case '<':
      return compare(l, r) < 0;
    case '<=':
      return compare(l, r) <= 0;
    case '>':
      return compare(l, r) > 0;
    default:
      return compare(l, r) >= 0;
  }
}

function cannot(l: Value, r: Value, verb: string): never {
  throw new JqRuntimeError(`${describe(l)} and ${describe(r)} cannot be ${verb}`);
}

/** jq's arithmetic, with its type rules; `meter` pays for the strings and arrays it builds. */
export function arith(op: BinaryOp, l: Value, r: Value, meter: BudgetMeter): Value {
  switch (op) {
    case '+':
      return add(l, r, meter);
    case '-':
      if (typeof l === 'number' && typeof r === 'number') return l - r;
      if (Array.isArray(l) && Array.isArray(r)) {
        meter.allocate(8 * l.length);
        return l.filter((x) => !r.some((y) => equals(x, y)));
      }
      return cannot(l, r, 'subtracted');
    case '*':
      if (typeof l === 'number' && typeof r === 'number') return l * r;
      if (typeof l === 'string' && typeof r === 'number') return repeat(l, r, meter);
      if (typeof l === 'number' && typeof r === 'string') return repeat(r, l, meter);
      if (isObject(l) && isObject(r)) return deepMerge(l, r);
      return cannot(l, r, 'multiplied');
    case '/':
      if (typeof l === 'number' && typeof r === 'number') {
        if (r === 0) cannot(l, r, 'divided because the divisor is zero');
        return l / r;
      }
      if (typeof l === 'string' && typeof r === 'string') return splitString(l, r, meter);
      return cannot(l, r, 'divided');
    case '%': {
      if (typeof l === 'number' && typeof r === 'number') {
        if (Number.isNaN(l) || Number.isNaN(r)) return Number.NaN;
        const a = toInt64(l);
        const b = toInt64(r);
        if (b === 0n) cannot(l, r, 'divided (remainder) because the divisor is zero');
        return Number(a % b);
      }
      return cannot(l, r, 'divided (remainder)');
    }
    default:
      throw new JqRuntimeError(`unknown operator ${op}`);
  }
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

// jq converts % operands to intmax_t, saturating at the int64 range.
function toInt64(n: number): bigint {
  if (n >= 9223372036854775807) return INT64_MAX;
  if (n <= -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(n));
}

export function add(l: Value, r: Value, meter: BudgetMeter): Value {
  if (l === null) return r;
  if (r === null) return l;
  if (typeof l === 'number' && typeof r === 'number') return l + r;
  if (typeof l === 'string' && typeof r === 'string') {
    // A concatenation shares both operands (the engine makes a rope), so it costs the shorter
    // one's worth, not the whole result again: charging the result made building a string step by
    // step (`join`, `reduce … (""; . + $x)`) quadratic in the budget, where jq appends in place.
    // Doubling (`. + .`) is still charged what it adds.
    meter.allocate(Math.min(l.length, r.length));
    return l + r;
  }
  if (Array.isArray(l) && Array.isArray(r)) {
    meter.allocate(8 * (l.length + r.length));
    return l.concat(r);
  }
  if (isObject(l) && isObject(r)) {
    const out = copyObject(l);
    for (const k of Object.keys(r)) setKey(out, k, r[k] as Value);
    meter.allocate(16 * Object.keys(out).length);
    return out;
  }
  return cannot(l, r, 'added');
}

function repeat(s: string, n: number, meter: BudgetMeter): Value {
  if (Number.isNaN(n) || n < 0) return null;
  const count = Math.min(Math.trunc(n), 2147483647);
  meter.allocate(s.length * count);
  return s.repeat(count);
}

export function deepMerge(l: JqObject, r: JqObject): JqObject {
  const out = copyObject(l);
  for (const k of Object.keys(r)) {
    const rv = r[k] as Value;
    const lv = hasKey(out, k) ? getKey(out, k) : undefined;
    setKey(out, k, lv !== undefined && isObject(lv) && isObject(rv) ? deepMerge(lv, rv) : rv);
  }
  return out;
}

export function splitString(s: string, sep: string, meter: BudgetMeter): Value {
  meter.allocate(s.length + 16);
  if (s === '') return [];
  if (sep === '') return Array.from(s);
  return s.split(sep);
}
