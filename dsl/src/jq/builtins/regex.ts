import type { Closure, Interpreter } from '../evaluate.ts';
import { JqRuntimeError } from '../errors.ts';
import { type JqObject, type Value, describe, setKey, typeOf } from '../values.ts';
import { add } from '../operators.ts';
import { cartesian } from './helpers.ts';
import type { BuiltinTable, NativeFn } from './types.ts';

interface Compiled {
  re: RegExp;
  global: boolean;
  skipEmpty: boolean;
  names: Array<string | null>;
}

const cache = new Map<string, Compiled>();

/**
 * Oniguruma with the Perl_NT syntax jq uses, mapped onto a JavaScript RegExp (`u`, `d` flags):
 * `^`/`$` match at the ends of the string only; `.` matches a newline only with `p`;
 * `\A \z \Z \h \H` are rewritten; `x` strips whitespace and comments.
 */
function compile(pattern: string, flags: string | null): Compiled {
  const key = `${flags ?? ''}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let global = false;
  let skipEmpty = false;
  let ignoreCase = false;
  let extended = false;
  let dotAll = false;
  for (const f of flags ?? '') {
    switch (f) {
      case 'g': global = true; break;
      case 'i': ignoreCase = true; break;
      case 'x': extended = true; break;
      case 'n': skipEmpty = true; break;
      case 's': break;
      case 'p': dotAll = true; break;
      case 'l': break;
      default:
        throw new JqRuntimeError(`${flags} is not a valid modifier string`);
    }
  }
  let source = translate(pattern, extended);
  const names: Array<string | null> = [];
  // Group names in order of their opening parenthesis, for the `name` of each capture.
  for (const m of source.matchAll(/\\.|\[(?:\\.|[^\]])*\]|\((\?<([A-Za-z_][A-Za-z0-9_]*)>|\?:|\?=|\?!|\?<=|\?<!)?/g)) {
    if (!m[0].startsWith('(')) continue;
    if (m[2] !== undefined) names.push(m[2]);
    else if (m[1] === undefined) names.push(null);
  }
  let re: RegExp;
  try {
    re = new RegExp(source, `dgu${ignoreCase ? 'i' : ''}${dotAll ? 's' : ''}`);
  } catch (e) {
    source = '';
    throw new JqRuntimeError(`${pattern} (at offset 0) is not a valid regex: ${(e as Error).message}`);
  }
  const compiled = { re, global, skipEmpty, names };
  if (cache.size > 500) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function translate(pattern: string, extended: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      i++;
      if (!/[0-9A-Za-z]/.test(n)) {
        // Oniguruma accepts any punctuation escape; JS's `u` mode only syntax characters.
        out += /[\^$\\.*+?()[\]{}|\/]/.test(n) || (inClass && n === '-') ? `\\${n}` : n;
        continue;
      }
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += '(?![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (n === 'h') out += inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
      else if (n === 'H') out += '[^0-9a-fA-F]';
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '{') {
      // A brace that does not start a quantifier is a literal in Oniguruma.
      const q = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i));
      if (q !== null && (q[1] !== '' || (q[2] === ',' && q[3] !== ''))) {
        out += `{${q[1] === '' ? '0' : q[1]}${q[2]}${q[3]}}`;
        i += q[0].length - 1;
      } else out += '\\{';
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      continue;
    }
    if (extended && /\s/.test(c)) continue;
    if (extended && c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** UTF-16 index to codepoint index (jq reports codepoint offsets). */
function codepoints(s: string, utf16: number): number {
  let n = 0;
  for (let i = 0; i < utf16; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < utf16) i++;
    n++;
  }
  return n;
}

function matchObjects(input: Value, re: Value, flags: Value, testOnly: boolean): JqObject[] {
  if (typeof input !== 'string') throw new JqRuntimeError(`${describe(input)} cannot be matched, as it is not a string`);
  if (typeof re !== 'string') throw new JqRuntimeError(`${describe(re)} is not a string`);
  if (flags !== null && typeof flags !== 'string') throw new JqRuntimeError(`${describe(flags)} is not a string`);
  const c = compile(re, flags);
  const astral = /[\ud800-\udfff]/.test(input);
  const pos = (i: number): number => (astral ? codepoints(input, i) : i);
  const len = (s: string): number => (astral ? Array.from(s).length : s.length);
  const out: JqObject[] = [];
  c.re.lastIndex = 0;
  for (;;) {
    const m = c.re.exec(input);
    if (m === null) break;
    if (m[0] === '') c.re.lastIndex = m.index + (astral && input.codePointAt(m.index)! > 0xffff ? 2 : 1);
    if (m[0] === '' && c.skipEmpty) {
      if (m.index >= input.length) break;
      continue;
    }
    if (testOnly) return [{}];
    const captures: Value[] = [];
    const indices = (m as RegExpExecArray & { indices?: Array<[number, number] | undefined> }).indices;
    for (let g = 1; g < m.length; g++) {
      const text = m[g];
      const name = c.names[g - 1] ?? null;
      if (text === undefined) {
        captures.push({ offset: -1, string: null, length: 0, name });
        continue;
      }
      const start = indices?.[g]?.[0] ?? input.indexOf(text, m.index);
      captures.push({ offset: pos(start), length: len(text), string: text, name });
    }
    out.push({ offset: pos(m.index), length: len(m[0]), string: m[0], captures });
    if (!c.global) break;
    if (m.index >= input.length) break;
  }
  return out;
}

function captureObject(match: JqObject): JqObject {
  const out: JqObject = {};
  for (const cap of match['captures'] as JqObject[]) {
    const name = cap['name'];
    if (typeof name === 'string') setKey(out, name, cap['string'] as Value);
  }
  return out;
}

/**
 * The one-argument forms (`test(re)`, `match(re)`, `capture(re)`) also accept `[re, flags]` and
 * check the argument's type first, as jq's definitions do; two-argument forms check the input first.
 */
function withFlags(extraFlags: string, f: (rt: Interpreter, input: Value, re: Value, flags: Value, emit: (v: Value) => void) => void): NativeFn {
  return (rt, input, _path, args, emit) => {
    const [reArg, flagsArg] = args;
    if (flagsArg === undefined) {
      rt.run(reArg as Closure, input, null, (given) => {
        let re: Value = given;
        let flags: Value = null;
        if (Array.isArray(given) && given.length > 0) {
          re = given[0] as Value;
          flags = given.length > 1 ? (given[1] as Value) : null;
        } else if (typeof given !== 'string') throw new JqRuntimeError(`${typeOf(given)} not a string or array`);
        f(rt, input, re, combineFlags(extraFlags, flags), (v) => emit(v, null));
      });
      return;
    }
    cartesian(rt, [reArg as Closure, flagsArg], input, ([re, flags]) => {
      f(rt, input, re as Value, combineFlags(extraFlags, (flags ?? null) as Value), (v) => emit(v, null));
    });
  };
}

function combineFlags(extra: string, given: Value): Value {
  if (extra === '') return given;
  return typeof given === 'string' ? extra + given : given === null ? extra : given;
}

const test = withFlags('', (_rt, input, re, flags, emit) => emit(matchObjects(input, re, flags, true).length > 0));
const match = withFlags('', (_rt, input, re, flags, emit) => {
  for (const m of matchObjects(input, re, flags, false)) emit(m);
});
const capture = withFlags('', (_rt, input, re, flags, emit) => {
  for (const m of matchObjects(input, re, flags, false)) emit(captureObject(m));
});
const scan = withFlags('g', (_rt, input, re, flags, emit) => {
  for (const m of matchObjects(input, re, flags, false)) {
    const caps = m['captures'] as JqObject[];
    emit(caps.length > 0 ? caps.map((c) => c['string'] as Value) : (m['string'] as Value));
  }
});
const split2 = withFlags('g', (_rt, input, re, flags, emit) => {
  const s = input as string;
  const matches = matchObjects(input, re, flags, false);
  const cps = Array.from(s);
  const out: string[] = [];
  let prev = 0;
  for (const m of matches) {
    const off = m['offset'] as number;
    out.push(cps.slice(prev, off).join(''));
    prev = off + (m['length'] as number);
  }
  out.push(cps.slice(prev).join(''));
  emit(out);
});

/**
 * sub/gsub as jq 1.8 defines them: the i-th output of the replacement, for every match, builds the
 * i-th result (so a replacement with two outputs gives two strings, not a cartesian product).
 */
function substitute(global: boolean): NativeFn {
  return (rt, input, _path, args, emit) => {
    const [reArg, replacement, flagsArg] = args as [Closure, Closure, Closure | undefined];
    const valueArgs = flagsArg === undefined ? [reArg] : [reArg, flagsArg];
    cartesian(rt, valueArgs, input, ([re, flags]) => {
      if (typeof re !== 'string') throw new JqRuntimeError(`${describe(re as Value)} is not a string`);
      let f = (flags ?? null) as Value;
      if (global) f = typeof f === 'string' ? `g${f}` : f === null ? 'g' : f;
      const matches = matchObjects(input, re, f, false);
      const cps = Array.from(input as string);
      const results: Value[] = [];
      let prev = 0;
      for (const m of matches) {
        const off = m['offset'] as number;
        const gap = cps.slice(prev, off).join('');
        rt.values(replacement, captureObject(m)).forEach((s, i) => {
          results[i] = add(results[i] ?? null, add(gap, s, rt.meter), rt.meter);
        });
        prev = off + (m['length'] as number);
      }
      if (results.length === 0) {
        emit(input, null);
        return;
      }
      const tail = cps.slice(prev).join('');
      for (const r of results) emit(add(r ?? null, tail, rt.meter), null);
    });
  };
}

/** `scan(re)` is `scan(re; null)` in jq, with the two-argument checks. */
function nullArgument(c: Closure): Closure {
  return { node: { kind: 'literal', value: null, at: c.node.at, simple: true, alternatives: false }, env: c.env };
}

export const regexBuiltins: BuiltinTable = {
  'test/1': test,
  'test/2': test,
  'match/1': match,
  'match/2': match,
  'capture/1': capture,
  'capture/2': capture,
  'scan/1': (rt, input, path, [re], emit) => scan(rt, input, path, [re as Closure, nullArgument(re as Closure)], emit),
  'scan/2': scan,
  'split/2': split2,
  'sub/2': substitute(false),
  'sub/3': substitute(false),
  'gsub/2': substitute(true),
  'gsub/3': substitute(true),
};
