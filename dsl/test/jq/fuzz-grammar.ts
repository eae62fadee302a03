/**
 * Random well-formed jq programs and JSON inputs for the differential fuzzer. Programs are trees
 * so a divergence can be shrunk; everything generated terminates quickly in real jq (which cannot
 * be interrupted): no open-ended recursion, only small numbers and bounded generators.
 */

export interface Expr {
  /** Literal text and sub-expressions, rendered in order. */
  parts: Array<string | Expr>;
  /** True when the text needs no parentheses as an operand. */
  atom: boolean;
}

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export function render(e: Expr): string {
  return e.parts.map((p) => (typeof p === 'string' ? p : render(p))).join('');
}

const atom = (text: string): Expr => ({ parts: [text], atom: true });
const wrap = (e: Expr): Expr => (e.atom ? e : { parts: ['(', e, ')'], atom: true });
const node = (atomic: boolean, ...parts: Array<string | Expr>): Expr => ({ parts, atom: atomic });

const KEYS = ['a', 'b', 'c', 'd'];
const STRINGS = ['', 'a', 'b', 'ab', 'A b', '1', 'é', 'a,b', 'x-y'];

export function randomJson(r: Random, depth = 3): unknown {
  const k = r.int(depth > 0 ? 9 : 6);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.int(13) - 3;
    case 3:
      return r.pick([0.5, 2.5, -1.5, 100, 1e3]);
    case 4:
    case 5:
      return r.pick(STRINGS);
    case 6:
    case 7:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(KEYS)] = randomJson(r, depth - 1);
      return o;
    }
  }
}

function literal(r: Random): Expr {
  return atom(r.pick(['null', 'true', 'false', '0', '1', '2', '-1', '2.5', '"a"', '""', '"ab"', '"b"', '[]', '{}', '[1,2]', '{"a":1}']));
}

const UNARY = [
  'length', 'keys', 'keys_unsorted', 'type', 'not', 'add', 'tostring', 'tojson', 'reverse', 'sort', 'unique', 'min', 'max', 'first',
  'last', 'flatten', 'to_entries', 'from_entries', '[paths]', '[tostream]', 'ascii_downcase', 'ascii_upcase', 'explode', 'implode',
  'floor', 'sqrt', 'abs', 'utf8bytelength', 'any', 'all', 'arrays', 'objects', 'numbers', 'strings', 'scalars', 'iterables', 'nulls',
  'booleans', 'values', '[..]', '@base64', '@base64d', '@json', '@text', '@csv', '@tsv', '@html', '@uri', '@sh', 'trim', 'ltrim', 'rtrim',
  'tonumber', 'fromjson', 'isnan', 'isinfinite', 'isnormal', 'transpose', 'combinations', '[leaf_paths]', 'not', 'ascii', 'toarray',
  'significand', 'round', 'ceil', 'fabs', '[splits("a")]', 'gmtime', 'todate', 'getpath(["a"])', 'tojson', 'length', 'not',
];

const CALL1 = [
  'map', 'select', 'has', 'contains', 'inside', 'sort_by', 'group_by', 'unique_by', 'min_by', 'max_by', 'with_entries', 'map_values',
  'any', 'all', 'first', 'last', 'isempty', 'join', 'split', 'test', 'ltrimstr', 'rtrimstr', 'startswith', 'endswith', 'index',
  'rindex', 'indices', 'getpath', 'delpaths', 'walk', 'IN', 'error', 'add', 'splits', 'in', 'tostring', 'paths', 'flatten', 'nth',
  'ascii', 'trimstr', 'match', 'capture', 'scan', 'INDEX', 'pick', 'del', 'path', 'to_entries',
];

export class ProgramGenerator {
  constructor(private readonly r: Random) {}

  expr(depth: number, vars: string[]): Expr {
    const r = this.r;
    if (depth <= 0 || r.chance(0.2)) return this.term(vars);
    const d = depth - 1;
    const k = r.int(40);
    switch (k) {
      case 0:
      case 1:
        return node(false, this.expr(d, vars), ' | ', this.expr(d, vars));
      case 2:
        return node(false, this.expr(d, vars), ', ', this.expr(d, vars));
      case 3:
      case 4: {
        const op = r.pick(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', '//']);
        return node(false, wrap(this.expr(d, vars)), ` ${op} `, wrap(this.expr(d, vars)));
      }
      case 5: {
        const elif = r.chance(0.3) ? [' elif ', this.expr(d, vars), ' then ', this.expr(d, vars)] : [];
        const tail = r.chance(0.2) ? [' end'] : [' else ', this.expr(d, vars), ' end'];
        return node(true, 'if ', this.expr(d, vars), ' then ', this.expr(d, vars), ...elif, ...tail);
      }
      case 6:
        return r.chance(0.5) ? node(true, 'try ', wrap(this.expr(d, vars))) : node(true, 'try ', wrap(this.expr(d, vars)), ' catch ', wrap(this.expr(d, vars)));
      case 7:
        return node(true, wrap(this.expr(d, vars)), '?');
      case 8: {
        const v = `$v${vars.length}`;
        // A single initial state (`[init][0]`, which even `?//` retries cannot multiply): jq 1.8.2
        // evaluates the source against null for later ones (docs/jq.md).
        return node(true, 'reduce ', wrap(this.expr(d, vars)), ` as ${v} ([`, this.expr(d, vars), '][0]', '; ', this.expr(d, [...vars, v]), ')');
      }
      case 9: {
        const v = `$v${vars.length}`;
        const extract = r.chance(0.5) ? ['; ', this.expr(d, [...vars, v])] : [];
        return node(true, 'foreach ', wrap(this.expr(d, vars)), ` as ${v} ([`, this.expr(d, vars), '][0]', '; ', this.expr(d, [...vars, v]), ...extract, ')');
      }
      case 10: {
        const v = `$v${vars.length}`;
        const w = `$w${vars.length}`;
        const [pattern, bound] = r.pick<[string, string[]]>([
          [v, [v]],
          [`[${v}, ${w}]`, [v, w]],
          [`{a: ${v}, b: ${w}}`, [v, w]],
          ['{$a}', ['$a']],
          [`[${v}] ?// ${v}`, [v]],
        ]);
        return node(false, wrap(this.expr(d, vars)), ` as ${pattern} | `, this.expr(d, [...vars, ...bound]));
      }
      case 11:
        return node(true, '[', this.expr(d, vars), ']');
      case 12:
        return node(true, '{', r.pick(KEYS), ': ', wrap(this.expr(d, vars)), ', "', r.pick(KEYS), '\\(', this.expr(d, vars), ')": ', wrap(this.expr(d, vars)), '}');
      case 13:
        return node(true, '"x\\(', this.expr(d, vars), ')y"');
      case 14:
      case 15:
      case 16:
        return node(true, r.pick(CALL1), '(', this.expr(d, vars), ')');
      case 17:
        return node(true, 'limit(', r.pick(['0', '1', '2', '3']), '; ', this.expr(d, vars), ')');
      case 18:
        return node(false, this.path(d, vars), ` ${r.pick(['=', '|=', '+=', '-=', '*=', '//='])} `, wrap(this.expr(d, vars)));
      case 19:
        return node(true, r.pick(['[path', '[del', '[pick']), '(', this.path(d, vars), ')]');
      case 20:
        return node(false, 'label $out | ', this.expr(d, vars), ' | ., break $out');
      case 21:
        return node(false, 'def f: ', this.expr(d, vars), '; ', this.expr(d, vars), ' | f');
      case 22:
        return node(false, 'def g(h): [h, h]; g(', this.expr(d, vars), ')');
      case 23:
        return node(true, r.pick(['sub', 'gsub']), '(', r.pick(['"a"', '"b"', '"(?<x>.)"', '""', '"^"']), '; ', r.pick(['"X"', '"\\(.x)!"', '"1", "2"']), ')');
      case 24:
        return r.chance(0.5)
          ? node(true, 'setpath(', r.pick(['["a"]', '[0]', '["a","b"]', '[]']), '; ', this.expr(d, vars), ')')
          : node(true, '[range(', r.pick(['0', '1', '-1']), '; ', r.pick(['0', '2', '3']), ')]');
      case 25:
        return node(false, '-', wrap(this.expr(d, vars)));
      case 26:
        return node(true, '.[', this.expr(d, vars), ']');
      case 27:
        return node(true, wrap(this.expr(d, vars)), r.pick(['.a', '[0]', '[]', '[1:]', '.b?', '[]?', '[-1:]']));
      case 28:
        return atom(r.pick(['first(.[]?)', 'last(.[]?)', 'isempty(.[]?)', '[limit(2; .[]?)]', '[recurse]', 'any(.[]?; .)', 'all(.[]?; .)', '[.[]?, .a?]', '[..?]']));
      case 30:
        return node(true, '{', r.pick(['a', '"b"', '$__loc__', '"x\\(1)"']), ', ', r.pick(KEYS), ': ', wrap(this.expr(d, vars)), '}');
      case 31:
        return node(true, '{(', this.expr(d, vars), '): ', wrap(this.expr(d, vars)), '}');
      case 32:
        return node(true, '.[', this.expr(d, vars), ':', this.expr(d, vars), ']');
      case 33:
        return node(true, r.pick(['pow', 'atan2', 'fmin', 'ldexp', 'drem', 'fmod']), '(', this.expr(d, vars), '; ', this.expr(d, vars), ')');
      case 34:
        return node(true, r.pick(['@base64', '@json', '@html', '@uri', '@sh', '@csv', '@tsv', '@text']), ' "<\\(', this.expr(d, vars), ')>"');
      case 35:
        return node(true, r.pick(['ltrimstr', 'rtrimstr', 'startswith', 'endswith', 'split', 'join', 'index', 'test', 'has', 'contains']), '(', atom(r.pick(STRINGS.map((x) => JSON.stringify(x)))), ')');
      case 36:
        // `// 0`: repeat of an empty filter would spin forever in real jq, which cannot be interrupted.
        return node(true, '[limit(', r.pick(['1', '2', '3']), '; repeat(', wrap(this.expr(d, vars)), ' // 0))]');
      case 37:
        return atom(`(${r.pick(['[tostream] | fromstream(.[])', 'tojson | fromjson', '[paths] | length', 'to_entries | from_entries', 'getpath(["a", 0])', '[.[]?] | sort', 'keys? // []', 'splits("a")?', '@base64 | @base64d'])})`);
      case 38: {
        const v = `$v${vars.length}`;
        return node(false, wrap(this.expr(d, vars)), ` as [${v}, {a: $w${vars.length}}] ?// ${v} | `, this.expr(d, [...vars, v, `$w${vars.length}`]));
      }
      default:
        return node(true, r.pick(UNARY));
    }
  }

  path(depth: number, vars: string[]): Expr {
    const r = this.r;
    if (depth <= 0 || r.chance(0.4)) return atom(r.pick(['.', '.a', '.b', '.[0]', '.[]', '.a.b', '.[1:]', '.[]?', '.a[0]', '..', '.[-1]', '.a?']));
    const d = depth - 1;
    switch (r.int(7)) {
      case 0:
        return node(false, this.path(d, vars), ' | ', this.path(d, vars));
      case 1:
        return node(false, this.path(d, vars), ', ', this.path(d, vars));
      case 2:
        return node(false, this.path(d, vars), ' | select(', this.expr(d, vars), ')');
      case 3:
        return node(true, 'first(', this.path(d, vars), ')');
      case 4:
        return node(true, 'if ', this.expr(d, vars), ' then ', this.path(d, vars), ' else ', this.path(d, vars), ' end');
      case 5:
        return node(false, wrap(this.path(d, vars)), ' // ', wrap(this.path(d, vars)));
      default:
        return node(true, 'getpath(', r.pick(['["a"]', '[0]', '["a","b"]']), ')');
    }
  }

  term(vars: string[]): Expr {
    const r = this.r;
    const k = r.int(10);
    if (k < 3) return literal(r);
    if (k < 8) return atom(r.pick(['.', '.a', '.b', '."c"', '.[0]', '.[-1]', '.[1:]', '.[:2]', '.[]', '.[]?', '.a?', '..', '.a.b', '(.[] | .a?)', '$__loc__']));
    if (vars.length && k === 8) return atom(r.pick(vars));
    return atom(r.pick(['empty', 'error("e")', 'null', '[.[]?]', '{a: 1}', 'range(3)', '(1,2)', 'error']));
  }
}

/** Smaller variants of a tree: each node replaced by one of its sub-expressions or a trivial term. */
export function* shrinkCandidates(e: Expr): IterableIterator<Expr> {
  const children = e.parts.filter((p): p is Expr => typeof p !== 'string');
  for (const c of children) yield c;
  if (!(e.parts.length === 1 && (e.parts[0] === '.' || e.parts[0] === 'null'))) {
    yield atom('.');
    yield atom('null');
  }
  for (let i = 0; i < e.parts.length; i++) {
    const p = e.parts[i] as string | Expr;
    if (typeof p === 'string') continue;
    for (const smaller of shrinkCandidates(p)) {
      const parts = e.parts.slice();
      parts[i] = wrap(smaller);
      yield { parts, atom: e.atom };
    }
  }
}

export function* shrinkJson(v: unknown): IterableIterator<unknown> {
  if (v === null) return;
  yield null;
  if (Array.isArray(v)) {
    for (const item of v) yield item;
    for (let i = 0; i < v.length; i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
  } else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) yield o[k];
    for (const k of Object.keys(o)) {
      const { [k]: _dropped, ...rest } = o;
      yield rest;
    }
  }
}
