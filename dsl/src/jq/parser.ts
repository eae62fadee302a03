import type { AssignOp, BinaryOp, FuncDef, Node, ObjectEntry, Param, Pattern, PatternEntry } from './ast.ts';
import { JqBudgetError, JqRuntimeError, JqSyntaxError, lineColumn } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';
import { BudgetMeter, DEFAULT_JQ_BUDGET } from './budget.ts';
import { MAX_NESTING, tooDeepAt } from './nesting.ts';
import { arith, compareOp } from './operators.ts';
import { type JqObject, type Value, describe, setKey } from './values.ts';

const ASSIGN_OPS = new Set(['=', '|=', '+=', '-=', '*=', '/=', '%=', '//=']);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Parses a whole jq program into an AST (names are resolved later, by the resolver). */
export function parse(source: string): Node {
  const parser = new Parser(source, tokenize(source));
  const node = parser.parsePipe();
  parser.expectEnd();
  const deep = tooDeepAt(node);
  if (deep !== undefined) throw new JqSyntaxError('expression is nested too deeply', source, deep);
  return node;
}

class Parser {
  private i = 0;
  /** Nesting levels open, counted across interpolated sub-expressions too. */
  private depth: number;
  /** Expressions written in parentheses, which `a // b as $x` must not reach into. */
  private readonly parenthesised = new WeakSet<Node>();
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    depth = 0,
  ) {
    this.depth = depth;
  }

  /**
   * Parses one nesting level, refusing the level past MAX_NESTING at its first token. Every way the
   * parser recurses passes here: sub-expressions (parsePipe), terms (parsePrimary), and the chains
   * it builds by recursion (`//`, `-`, `elif`, patterns).
   */
  private nested<T>(parseLevel: () => T): T {
    if (this.depth >= MAX_NESTING) this.fail('expression is nested too deeply');
    this.depth++;
    try {
      return parseLevel();
    } finally {
      this.depth--;
    }
  }

  private get tok(): Token {
    return this.tokens[this.i] as Token;
  }

  private peek(n = 1): Token {
    return (this.tokens[this.i + n] ?? this.tokens[this.tokens.length - 1]) as Token;
  }

  private fail(message: string, token: Token = this.tok): never {
    throw new JqSyntaxError(message, this.source, token.offset);
  }

  private unexpected(): never {
    const t = this.tok;
    if (t.kind === 'eof') this.fail('syntax error: unexpected end of expression');
    const text = t.kind === 'str' ? 'string' : t.kind === 'var' ? `$${t.text}` : t.kind === 'format' ? `@${t.text}` : t.kind === 'field' ? `.${t.text}` : t.text;
    return this.fail(`syntax error: unexpected ${text}`);
  }

  private isOp(text: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === text;
  }

  private isKeyword(text: string): boolean {
    return this.tok.kind === 'keyword' && this.tok.text === text;
  }

  private eatOp(text: string): boolean {
    if (this.isOp(text)) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) {
      if (this.tok.kind === 'eof') this.fail(`syntax error: expected '${text}' but the expression ended`);
      this.fail(`syntax error: expected '${text}'`);
    }
    return this.tokens[this.i++] as Token;
  }

  private expectKeyword(text: string): void {
    if (!this.isKeyword(text)) {
      if (this.tok.kind === 'eof') this.fail(`syntax error: expected '${text}' but the expression ended`);
      this.fail(`syntax error: expected '${text}'`);
    }
    this.i++;
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') this.unexpected();
  }

  // Pipe: lowest precedence, right associative. `def` and `label` may only start a pipe (as in jq's
  // grammar), and scope over the rest of it.
  parsePipe(): Node {
    return this.nested(() => this.parsePipeLevel());
  }

  private parsePipeLevel(): Node {
    if (this.isKeyword('def')) {
      const at = this.tok.offset;
      const def = this.parseFuncDef();
      return { kind: 'defs', def, body: this.parsePipe(), at };
    }
    if (this.isKeyword('label')) {
      const at = this.tok.offset;
      this.i++;
      const name = this.tok;
      if (name.kind !== 'var') this.fail('syntax error: expected $name after label');
      this.i++;
      this.expectOp('|');
      return { kind: 'label', name: name.text, body: this.parsePipe(), at };
    }
    const left = this.parseComma();
    if (this.isOp('|')) {
      const at = this.tok.offset;
      this.i++;
      return { kind: 'pipe', left, right: this.parsePipe(), at };
    }
    return left;
  }

  private parseComma(): Node {
    let left = this.parseAlt();
    while (this.isOp(',')) {
      const at = this.tok.offset;
      this.i++;
      // jq lets `def` and `label` start the right side of a comma too; they take the rest of the pipe.
      if (this.isKeyword('def') || this.isKeyword('label')) return { kind: 'comma', left, right: this.parsePipe(), at };
      left = { kind: 'comma', left, right: this.parseAlt(), at };
    }
    return left;
  }

  private parseAlt(): Node {
    const left = this.parseAssign();
    if (this.isOp('//')) {
      const at = this.tok.offset;
      this.i++;
      const right = this.nested(() => this.parseAlt());
      // jq 1.8 reads `a // b as $x | body` as `(a // b) as $x | body`.
      if (right.kind === 'bind' && !this.parenthesised.has(right)) {
        return { ...right, source: { kind: 'alt', left, right: right.source, at } };
      }
      return { kind: 'alt', left, right, at };
    }
    return left;
  }

  private parseAssign(): Node {
    const left = this.parseOr();
    if (this.tok.kind === 'op' && ASSIGN_OPS.has(this.tok.text)) {
      const op = this.tok.text as AssignOp;
      const at = this.tok.offset;
      this.i++;
      const right = this.parseOr();
      return { kind: 'assign', op, left, right, at };
    }
    return left;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      const at = this.tok.offset;
      this.i++;
      left = { kind: 'or', left, right: this.parseAnd(), at };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseCompare();
    while (this.isKeyword('and')) {
      const at = this.tok.offset;
      this.i++;
      left = { kind: 'and', left, right: this.parseCompare(), at };
    }
    return left;
  }

  private parseCompare(): Node {
    const left = this.parseAdditive();
    if (this.tok.kind === 'op' && COMPARE_OPS.has(this.tok.text)) {
      const op = this.tok.text as BinaryOp;
      const at = this.tok.offset;
      this.i++;
      const right = this.parseAdditive();
      if (this.tok.kind === 'op' && COMPARE_OPS.has(this.tok.text)) this.unexpected();
      return { kind: 'binary', op, left, right, at };
    }
    return left;
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.tok.text as BinaryOp;
      const at = this.tok.offset;
      this.i++;
      left = { kind: 'binary', op, left, right: this.parseMultiplicative(), at };
    }
    return left;
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.tok.text as BinaryOp;
      const at = this.tok.offset;
      this.i++;
      left = { kind: 'binary', op, left, right: this.parseUnary(), at };
    }
    return left;
  }

  private parseUnary(): Node {
    if (this.isOp('-')) {
      const at = this.tok.offset;
      this.i++;
      // `-1 as $x | …` binds the negated term, as jq does.
      const negated: Node = { kind: 'neg', operand: this.parseNegatedOperand(), at };
      if (this.isKeyword('as')) return this.parseBindingTail(negated);
      return negated;
    }
    return this.parsePostfix(true);
  }

  private parseNegatedOperand(): Node {
    return this.nested(() => this.parseNegatedOperandLevel());
  }

  private parseNegatedOperandLevel(): Node {
    if (this.isOp('-')) {
      const at = this.tok.offset;
      this.i++;
      return { kind: 'neg', operand: this.parseNegatedOperand(), at };
    }
    return this.parsePostfix(false);
  }

  private parseBindingTail(source: Node): Node {
    const at = this.tok.offset;
    this.expectKeyword('as');
    const patterns = this.parsePatterns();
    this.expectOp('|');
    return { kind: 'bind', source, patterns, body: this.parsePipe(), at };
  }

  // A term followed by suffixes: .foo, [e], [e:e], [], ?, and `as $x | body` when allowed.
  private parsePostfix(allowBinding: boolean): Node {
    let term = this.parsePrimary();
    // A parenthesised term is a whole expression: `(.a.b)?` guards all of it, not just `.b`.
    const previous = this.tokens[this.i - 1];
    let justStepped = !(previous?.kind === 'op' && previous.text === ')');
    for (;;) {
      const t = this.tok;
      const stepsBefore = term;
      if (t.kind === 'field') {
        this.i++;
        term = { kind: 'index', target: term, index: { kind: 'literal', value: t.text, at: t.offset }, optional: false, at: t.offset };
      } else if (t.kind === 'op' && t.text === '.' && this.peek().kind === 'str') {
        this.i++;
        term = { kind: 'index', target: term, index: this.parseStringToken(null), optional: false, at: t.offset };
      } else if (t.kind === 'op' && t.text === '.' && this.peek().kind === 'op' && this.peek().text === '[') {
        this.i++;
      } else if (t.kind === 'op' && t.text === '[') {
        term = this.parseBracketSuffix(term);
      } else if (t.kind === 'op' && t.text === '?') {
        this.i++;
        // `.a?`, `.[e]?`, `.[]?` make only that step optional (errors of the target still propagate).
        const lastStep = term.kind === 'index' || term.kind === 'slice' || term.kind === 'iterate';
        if (lastStep && !(term as { optional: boolean }).optional && justStepped) term = { ...term, optional: true } as Node;
        else term = { kind: 'try', body: term, handler: null, at: t.offset };
        justStepped = false;
        continue;
      } else if (allowBinding && t.kind === 'keyword' && t.text === 'as') {
        return this.parseBindingTail(term);
      } else {
        return term;
      }
      justStepped = term !== stepsBefore;
    }
  }

  private parseBracketSuffix(target: Node): Node {
    const at = this.tok.offset;
    this.expectOp('[');
    if (this.eatOp(']')) return { kind: 'iterate', target, optional: false, at };
    if (this.eatOp(':')) {
      const to = this.parsePipe();
      this.expectOp(']');
      return { kind: 'slice', target, from: null, to, optional: false, at };
    }
    const index = this.parsePipe();
    if (this.eatOp(':')) {
      const to = this.isOp(']') ? null : this.parsePipe();
      this.expectOp(']');
      return { kind: 'slice', target, from: index, to, optional: false, at };
    }
    this.expectOp(']');
    return { kind: 'index', target, index, optional: false, at };
  }

  private parsePrimary(): Node {
    return this.nested(() => this.parsePrimaryLevel());
  }

  private parsePrimaryLevel(): Node {
    const t = this.tok;
    const at = t.offset;
    switch (t.kind) {
      case 'num':
        this.i++;
        return { kind: 'literal', value: t.num as number, at };
      case 'str':
        return this.parseStringToken(null);
      case 'format': {
        this.i++;
        if (this.tok.kind === 'str') return this.parseStringToken(t.text);
        return { kind: 'format', name: t.text, at };
      }
      case 'field':
        this.i++;
        return { kind: 'index', target: { kind: 'identity', at }, index: { kind: 'literal', value: t.text, at }, optional: false, at };
      case 'var':
        this.i++;
        if (t.text === '__loc__') return { kind: 'loc', line: lineColumn(this.source, at).line, at };
        return { kind: 'var', name: t.text, at };
      case 'ident':
        if (this.peek().kind !== 'op' || this.peek().text !== '(') {
          if (t.text === 'null' || t.text === 'true' || t.text === 'false') {
            this.i++;
            return { kind: 'literal', value: t.text === 'null' ? null : t.text === 'true', at };
          }
        }
        return this.parseCall();
      case 'keyword':
        return this.parseKeywordTerm();
      case 'op':
        break;
      default:
        this.unexpected();
    }
    switch (t.text) {
      case '.':
        this.i++;
        if (this.tok.kind === 'str') {
          return { kind: 'index', target: { kind: 'identity', at }, index: this.parseStringToken(null), optional: false, at };
        }
        return { kind: 'identity', at };
      case '..':
        this.i++;
        return { kind: 'recurseAll', at };
      case '(': {
        this.i++;
        const inner = this.parsePipe();
        this.expectOp(')');
        this.parenthesised.add(inner);
        return inner;
      }
      case '[': {
        this.i++;
        if (this.eatOp(']')) return { kind: 'array', body: null, at };
        const body = this.parsePipe();
        this.expectOp(']');
        return { kind: 'array', body, at };
      }
      case '{':
        return this.parseObject();
      case '$':
        this.fail('syntax error: expected a variable name after $');
    }
    return this.unexpected();
  }

  private parseKeywordTerm(): Node {
    const t = this.tok;
    const at = t.offset;
    switch (t.text) {
      case 'if': {
        this.i++;
        const cond = this.parsePipe();
        this.expectKeyword('then');
        const then = this.parsePipe();
        return { kind: 'if', cond, then, else: this.nested(() => this.parseElse()), at };
      }
      case 'try': {
        this.i++;
        const body = this.parseBindingSource();
        let handler: Node | null = null;
        if (this.isKeyword('catch')) {
          this.i++;
          handler = this.parseBindingSource();
        }
        return { kind: 'try', body, handler, at };
      }
      case 'reduce': {
        this.i++;
        const source = this.parseTermAlternatives();
        this.expectKeyword('as');
        const pattern = this.parsePattern();
        this.expectOp('(');
        const init = this.parsePipe();
        this.expectOp(';');
        const update = this.parsePipe();
        this.expectOp(')');
        return { kind: 'reduce', source, pattern, init, update, at };
      }
      case 'foreach': {
        this.i++;
        const source = this.parseTermAlternatives();
        this.expectKeyword('as');
        const pattern = this.parsePattern();
        this.expectOp('(');
        const init = this.parsePipe();
        this.expectOp(';');
        const update = this.parsePipe();
        let extract: Node | null = null;
        if (this.eatOp(';')) extract = this.parsePipe();
        this.expectOp(')');
        return { kind: 'foreach', source, pattern, init, update, extract, at };
      }
      case 'break': {
        this.i++;
        const name = this.tok;
        if (name.kind !== 'var') this.fail('syntax error: expected $name after break');
        this.i++;
        return { kind: 'break', name: name.text, at };
      }
      case 'import':
      case 'include':
        this.fail('modules are not supported (import/include)');
    }
    return this.unexpected();
  }

  /** Where jq 1.8 expects a term but also accepts `a // b` (reduce/foreach sources, object values). */
  private parseTermAlternatives(): Node {
    const left = this.parseBindingSource();
    if (!this.isOp('//')) return left;
    const at = this.tok.offset;
    this.i++;
    return { kind: 'alt', left, right: this.parseTermAlternatives(), at };
  }

  /** The operand of `try`, `catch`, `reduce` and `foreach`: a postfix term, optionally negated. */
  private parseBindingSource(): Node {
    if (this.isOp('-')) {
      const at = this.tok.offset;
      this.i++;
      return { kind: 'neg', operand: this.parsePostfix(false), at };
    }
    return this.parsePostfix(false);
  }

  private parseElse(): Node | null {
    if (this.isKeyword('elif')) {
      const at = this.tok.offset;
      this.i++;
      const cond = this.parsePipe();
      this.expectKeyword('then');
      const then = this.parsePipe();
      return { kind: 'if', cond, then, else: this.nested(() => this.parseElse()), at };
    }
    if (this.isKeyword('else')) {
      this.i++;
      const body = this.parsePipe();
      this.expectKeyword('end');
      return body;
    }
    this.expectKeyword('end');
    return null;
  }

  private parseCall(): Node {
    const t = this.tok;
    this.i++;
    const args: Node[] = [];
    if (this.isOp('(')) {
      this.i++;
      args.push(this.parsePipe());
      while (this.eatOp(';')) args.push(this.parsePipe());
      this.expectOp(')');
    }
    return { kind: 'call', name: t.text, args, at: t.offset };
  }

  private parseFuncDef(): FuncDef {
    const at = this.tok.offset;
    this.expectKeyword('def');
    const nameTok = this.tok;
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'keyword') this.fail('syntax error: expected a function name after def');
    this.i++;
    const params: Param[] = [];
    if (this.eatOp('(')) {
      do {
        const p = this.tok;
        if (p.kind === 'var') params.push({ name: p.text, isValue: true });
        else if (p.kind === 'ident' || p.kind === 'keyword') params.push({ name: p.text, isValue: false });
        else this.fail('syntax error: expected a parameter name');
        this.i++;
      } while (this.eatOp(';'));
      this.expectOp(')');
    }
    this.expectOp(':');
    const body = this.parsePipe();
    this.expectOp(';');
    return { name: nameTok.text, params, body, at };
  }

  private parseStringToken(format: string | null): Node {
    const t = this.tok;
    this.i++;
    const parts: Array<string | Node> = [];
    for (const p of t.parts ?? []) {
      if (typeof p === 'string') parts.push(p);
      else {
        const sub = new Parser(this.source, p, this.depth);
        const node = sub.parsePipe();
        sub.expectEnd();
        parts.push(node);
      }
    }
    if (format === null && parts.length === 1 && typeof parts[0] === 'string') {
      return { kind: 'literal', value: parts[0], at: t.offset };
    }
    return { kind: 'string', parts, format, at: t.offset };
  }

  private parseObject(): Node {
    const at = this.tok.offset;
    this.expectOp('{');
    const entries: ObjectEntry[] = [];
    if (!this.eatOp('}')) {
      do {
        entries.push(this.parseObjectEntry());
      } while (this.eatOp(','));
      this.expectOp('}');
    }
    return { kind: 'object', entries, at };
  }

  private parseObjectEntry(): ObjectEntry {
    const t = this.tok;
    const at = t.offset;
    let key: Node;
    let implied: Node;
    if (t.kind === 'var') {
      this.i++;
      if (t.text === '__loc__') {
        key = { kind: 'literal', value: '__loc__', at };
        implied = { kind: 'loc', line: lineColumn(this.source, at).line, at };
      } else {
        key = { kind: 'literal', value: t.text, at };
        implied = { kind: 'var', name: t.text, at };
        if (this.isOp(':')) key = implied;
      }
    } else if (t.kind === 'ident' || t.kind === 'keyword') {
      this.i++;
      key = { kind: 'literal', value: t.text, at };
      implied = { kind: 'index', target: { kind: 'identity', at }, index: key, optional: false, at };
    } else if (t.kind === 'num') {
      this.i++;
      key = { kind: 'literal', value: t.num as number, at };
      implied = key;
    } else if (t.kind === 'str' || t.kind === 'format') {
      let format: string | null = null;
      if (t.kind === 'format') {
        format = t.text;
        this.i++;
        if (this.tok.kind !== 'str') this.unexpected();
      }
      key = this.parseStringToken(format);
      implied = { kind: 'index', target: { kind: 'identity', at }, index: key, optional: false, at };
    } else if (t.kind === 'op' && t.text === '(') {
      this.i++;
      key = this.parsePipe();
      this.expectOp(')');
      // jq folds constant keys while parsing and rejects non-strings there (even in unused defs).
      const constant = constantValue(key);
      if (constant !== undefined && typeof constant !== 'string') {
        throw new JqSyntaxError(`Cannot use ${describe(constant)} as object key`, this.source, key.at);
      }
      this.expectOp(':');
      return { key, value: this.parseObjectValue() };
    } else {
      return this.unexpected();
    }
    if (this.eatOp(':')) return { key, value: this.parseObjectValue() };
    if (key.kind === 'literal' && typeof key.value === 'number') this.unexpected();
    return { key, value: implied };
  }

  // jq allows only terms, negated terms and pipes of those as object values.
  private parseObjectValue(): Node {
    let value = this.parseObjectValueTerm();
    while (this.isOp('|')) {
      const at = this.tok.offset;
      this.i++;
      value = { kind: 'pipe', left: value, right: this.parseObjectValueTerm(), at };
    }
    return value;
  }

  private parseObjectValueTerm(): Node {
    return this.parseTermAlternatives();
  }

  private parsePatterns(): Pattern[] {
    const patterns = [this.parsePattern()];
    while (this.eatOp('?//')) patterns.push(this.parsePattern());
    return patterns;
  }

  private parsePattern(): Pattern {
    return this.nested(() => this.parsePatternLevel());
  }

  private parsePatternLevel(): Pattern {
    const t = this.tok;
    if (t.kind === 'var') {
      this.i++;
      if (t.text === '__loc__') this.fail('syntax error: cannot bind $__loc__', t);
      return { kind: 'var', name: t.text };
    }
    if (this.eatOp('[')) {
      const elements: Pattern[] = [];
      if (!this.isOp(']')) {
        do elements.push(this.parsePattern());
        while (this.eatOp(','));
      }
      this.expectOp(']');
      return { kind: 'array', elements };
    }
    if (this.eatOp('{')) {
      const entries: PatternEntry[] = [];
      do entries.push(this.parsePatternEntry());
      while (this.eatOp(','));
      this.expectOp('}');
      return { kind: 'object', entries };
    }
    return this.unexpected();
  }

  private parsePatternEntry(): PatternEntry {
    const t = this.tok;
    const at = t.offset;
    if (t.kind === 'var') {
      this.i++;
      const key: Node = { kind: 'literal', value: t.text, at };
      const value = this.eatOp(':') ? this.parsePattern() : null;
      return { key, bindVar: t.text, value };
    }
    let key: Node;
    if (t.kind === 'ident' || t.kind === 'keyword') {
      this.i++;
      key = { kind: 'literal', value: t.text, at };
    } else if (t.kind === 'str') {
      key = this.parseStringToken(null);
    } else if (this.eatOp('(')) {
      key = this.parsePipe();
      this.expectOp(')');
    } else {
      return this.unexpected();
    }
    this.expectOp(':');
    return { key, bindVar: null, value: this.parsePattern() };
  }
}

/** The value of an expression jq folds at compile time (literals, `$__loc__`, arrays and objects of those). */
function constantValue(n: Node): Value | undefined {
  switch (n.kind) {
    case 'literal':
      return n.value;
    case 'loc':
      return { file: '<top-level>', line: n.line };
    case 'array': {
      if (n.body === null) return [];
      const items: Value[] = [];
      const collect = (b: Node): boolean => {
        if (b.kind === 'comma') return collect(b.left) && collect(b.right);
        const v = constantValue(b);
        if (v === undefined) return false;
        items.push(v);
        return true;
      };
      return collect(n.body) ? items : undefined;
    }
    case 'binary': {
      const l = constantValue(n.left);
      const r = constantValue(n.right);
      if (l === undefined || r === undefined) return undefined;
      try {
        const cmp = ['==', '!=', '<', '<=', '>', '>='].includes(n.op);
        return cmp ? compareOp(n.op, l, r) : arith(n.op, l, r, new BudgetMeter(DEFAULT_JQ_BUDGET, ''));
      } catch (error) {
        // Not a constant after all: a jq error (`"a" - 1`) or a budget stop (`"ab" * 1e8`) is left
        // to evaluation, which reports it as what it is — never as a syntax error here.
        if (error instanceof JqRuntimeError || error instanceof JqBudgetError) return undefined;
        throw error;
      }
    }
    case 'pipe':
      if (n.left.kind === 'identity') return constantValue(n.right);
      return n.right.kind === 'identity' ? constantValue(n.left) : undefined;
    case 'object': {
      const out: JqObject = {};
      for (const e of n.entries) {
        const k = constantValue(e.key);
        const v = constantValue(e.value);
        if (typeof k !== 'string' || v === undefined) return undefined;
        setKey(out, k, v);
      }
      return out;
    }
    default:
      return undefined;
  }
}
