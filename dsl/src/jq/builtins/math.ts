import { JqRuntimeError } from '../errors.ts';
import { type Value, describe } from '../values.ts';
import { unary, withValues } from './helpers.ts';
import type { BuiltinTable } from './types.ts';

function num(v: Value): number {
  if (typeof v !== 'number') throw new JqRuntimeError(`${describe(v)} number required`);
  return v;
}

function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

// Lanczos approximation (g=7, n=9), accurate to ~15 digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function tgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === Infinity) return Infinity;
  if (Number.isInteger(x) && x <= 0) return Number.NaN;
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * tgamma(1 - x));
  if (Number.isInteger(x) && x <= 171) {
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (Number.isInteger(x) && x <= 0) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 5e-324 : -5e-324;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let bits = view.getBigInt64(0);
  bits += (y > x) === (x > 0) ? 1n : -1n;
  view.setBigInt64(0, bits);
  return view.getFloat64(0);
}

// W. J. Cody's rational approximations are overkill here; this series/continued-fraction pair is
// accurate to ~1e-15, and jq's last digit may differ (documented).
function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = ax;
    let term = ax;
    for (let n = 1; n < 100; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  if (ax > 6) return Math.sign(x);
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

const one = (f: (x: number) => Value) => unary((v) => f(num(v)));
const two = (f: (x: number, y: number) => Value) => withValues((_input, [a, b]) => f(num(a as Value), num(b as Value)));

export const mathBuiltins: BuiltinTable = {
  'floor/0': one(Math.floor),
  'ceil/0': one(Math.ceil),
  'round/0': one((x) => (x < 0 ? -Math.round(-x) : Math.round(x))),
  'rint/0': one(roundHalfEven),
  'nearbyint/0': one(roundHalfEven),
  'trunc/0': one(Math.trunc),
  'fabs/0': one(Math.abs),
  'sqrt/0': one(Math.sqrt),
  'cbrt/0': one(Math.cbrt),
  'exp/0': one(Math.exp),
  'exp2/0': one((x) => 2 ** x),
  'exp10/0': one((x) => 10 ** x),
  'expm1/0': one(Math.expm1),
  'log/0': one(Math.log),
  'log2/0': one(Math.log2),
  'log10/0': one(Math.log10),
  'log1p/0': one(Math.log1p),
  'logb/0': one((x) => (x === 0 ? -Infinity : !Number.isFinite(x) ? Math.abs(x) : (frexp(x)[1] - 1))),
  'significand/0': one((x) => (x === 0 || !Number.isFinite(x) ? x : frexp(x)[0] * 2)),
  'gamma/0': one(lgamma),
  'lgamma/0': one(lgamma),
  'tgamma/0': one(tgamma),
  'lgamma_r/0': one((x) => [lgamma(x), tgamma(x) < 0 ? -1 : 1]),
  'frexp/0': one((x) => frexp(x)),
  'modf/0': one((x) => (Number.isFinite(x) ? [x - Math.trunc(x), Math.trunc(x)] : [Number.isNaN(x) ? x : 0, x])),
  'sin/0': one(Math.sin),
  'cos/0': one(Math.cos),
  'tan/0': one(Math.tan),
  'asin/0': one(Math.asin),
  'acos/0': one(Math.acos),
  'atan/0': one(Math.atan),
  'sinh/0': one(Math.sinh),
  'cosh/0': one(Math.cosh),
  'tanh/0': one(Math.tanh),
  'asinh/0': one(Math.asinh),
  'acosh/0': one(Math.acosh),
  'atanh/0': one(Math.atanh),
  'pow/2': two((x, y) => x ** y),
  'atan2/2': two(Math.atan2),
  'fmod/2': two((x, y) => x % y),
  'hypot/2': two(Math.hypot),
  'fmin/2': two((x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.min(x, y))),
  'fmax/2': two((x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y))),
  'fdim/2': two((x, y) => (x > y ? x - y : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 0)),
  'copysign/2': two((x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))),
  'remainder/2': two((x, y) => (y === 0 ? Number.NaN : x - roundHalfEven(x / y) * y)),
  'erf/0': one(erf),
  'erfc/0': one((x) => 1 - erf(x)),
  'drem/2': two((x, y) => (y === 0 ? Number.NaN : x - roundHalfEven(x / y) * y)),
  'ldexp/2': two((x, e) => x * 2 ** Math.trunc(e)),
  'scalb/2': two((x, e) => x * 2 ** e),
  'scalbln/2': two((x, e) => x * 2 ** Math.trunc(e)),
  'nextafter/2': two(nextafter),
  'nexttoward/2': two(nextafter),
  'fma/3': withValues((_input, [a, b, c]) => num(a as Value) * num(b as Value) + num(c as Value)),
};
