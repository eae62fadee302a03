import type { Closure } from '../evaluate.ts';
import { JqRuntimeError } from '../errors.ts';
import { add, splitString } from '../operators.ts';
import { type Value, describe, toJson } from '../values.ts';
import { unary, withValues } from './helpers.ts';
import type { BuiltinTable } from './types.ts';

function explode(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) as number);
  return out;
}

function implode(v: Value): string {
  if (!Array.isArray(v)) throw new JqRuntimeError('implode input must be an array');
  let out = '';
  for (const c of v) {
    if (typeof c !== 'number') throw new JqRuntimeError(`${describe(c)} can't be imploded, unicode codepoint needs to be numeric`);
    let cp = Math.trunc(c);
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Codepoint offsets of every occurrence of `needle` (jq reports codepoints, overlapping matches included). */
function stringIndices(s: string, needle: string): number[] {
  if (needle === '') return [];
  const out: number[] = [];
  const astral = /[\ud800-\udfff]/.test(s);
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
    out.push(astral ? Array.from(s.slice(0, i)).length : i);
  }
  return out;
}

const WS = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

function trimmer(which: 'both' | 'left' | 'right') {
  return unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError('trim input must be a string');
    if (which === 'left') return v.replace(/^[ \t\n\r\f\v]+/, '');
    if (which === 'right') return v.replace(/[ \t\n\r\f\v]+$/, '');
    return v.replace(WS, '');
  });
}

export const stringBuiltins: BuiltinTable = {
  'startswith/1': withValues((v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqRuntimeError('startswith() requires string inputs');
    return v.startsWith(p);
  }),
  'endswith/1': withValues((v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqRuntimeError('endswith() requires string inputs');
    return v.endsWith(p);
  }),
  'ltrimstr/1': withValues((v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqRuntimeError('startswith() requires string inputs');
    return v.startsWith(p) ? v.slice(p.length) : v;
  }),
  'rtrimstr/1': withValues((v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqRuntimeError('endswith() requires string inputs');
    return v.endsWith(p) && p.length > 0 ? v.slice(0, v.length - p.length) : v;
  }),
  'trimstr/1': 'def trimstr($x): ltrimstr($x) | rtrimstr($x);',
  'trim/0': trimmer('both'),
  'ltrim/0': trimmer('left'),
  'rtrim/0': trimmer('right'),
  'explode/0': unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError('explode input must be a string');
    return explode(v);
  }),
  'implode/0': unary(implode),
  'split/1': withValues((v, [sep], rt) => {
    if (typeof v !== 'string' || typeof sep !== 'string') throw new JqRuntimeError('split input and separator must be strings');
    return splitString(v, sep, rt.meter);
  }),
  // As jq's definition: reduce with `+`, so its type errors are jq's.
  'join/1': (rt, input, _path, [sepArg], emit) =>
    rt.run(sepArg as Closure, input, null, (sep) => {
      let acc: Value = null;
      rt.iterate(input, null, (x) => {
        const left = acc === null ? '' : add(acc, sep, rt.meter);
        const right = typeof x === 'boolean' || typeof x === 'number' ? toJson(x) : x === null ? '' : x;
        acc = add(left, right, rt.meter);
      });
      emit(acc === null || acc === false ? '' : acc, null);
    }),
  'ascii_downcase/0': unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError('explode input must be a string');
    return v.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }),
  'ascii_upcase/0': unary((v) => {
    if (typeof v !== 'string') throw new JqRuntimeError('explode input must be a string');
    return v.replace(/[a-z]+/g, (m) => m.toUpperCase());
  }),
  // jq's definition, which is a path expression for arrays and null (`pick(index("a"))` works).
  'indices/1': `def indices($i): if type == "array" and ($i | type) == "array" then .[$i]
      elif type == "array" then .[[$i]]
      elif type == "string" and ($i | type) == "string" then _strindices($i)
      else .[$i] end;`,
  '_strindices/1': withValues((v, [x]) => {
    if (typeof v !== 'string' || typeof x !== 'string') throw new JqRuntimeError('_strindices/1 requires string inputs');
    return stringIndices(v, x);
  }),
  'index/1': 'def index($i): indices($i) | .[0];',
  'rindex/1': 'def rindex($i): indices($i) | .[-1:][0];',
};
