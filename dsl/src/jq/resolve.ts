import type { FuncDef, Node, Pattern } from './ast.ts';
import type { Builtin } from './builtins/types.ts';
import { HOST_BUILTINS } from './builtins/registry.ts';
import { JqSyntaxError } from './errors.ts';
import type { CallBinding, ResolvedFuncDef, ResolvedNode, ResolvedObjectEntry, ResolvedPattern } from './resolved.ts';

/**
 * How the resolver finds builtins. Passed in rather than imported: compiling a jq-defined builtin
 * (builtins/compiled.ts) resolves it here, so importing that module would close a cycle.
 */
export type BuiltinLookup = (name: string, arity: number) => Builtin | undefined;

interface Scope {
  funcs: { name: string; arity: number; used: boolean; next: Scope['funcs'] } | null;
  vars: { name: string; next: Scope['vars'] } | null;
  labels: { name: string; next: Scope['labels'] } | null;
}

export interface Resolution {
  tree: ResolvedNode;
  freeVariables: string[];
  /** Host builtins and `$ENV` the program uses, each with the offset of its first use. */
  hostDependencies: Map<string, number>;
}

const EMPTY_SCOPE: Scope = { funcs: null, vars: null, labels: null };
const LOCAL: CallBinding = Object.freeze({ kind: 'local' });

/**
 * Builds the evaluator's tree from a parse tree, which it only reads: binds every call to a local
 * definition or a builtin (jq reports unknown functions at compile time), and collects the
 * variables the program expects from outside and the host builtins it uses.
 */
export function resolveProgram(node: Node, source: string, builtins: BuiltinLookup): Resolution {
  const free = new Set<string>();
  const host = new Map<string, number>();
  const resolver = new Resolver(
    (message, at) => {
      throw new JqSyntaxError(message, source, at);
    },
    builtins,
    free,
    host,
  );
  const tree = resolver.node(node, EMPTY_SCOPE);
  return { tree, freeVariables: [...free], hostDependencies: host };
}

/** Resolves a jq-defined builtin; its own name resolves through the builtin table. */
export function resolveBuiltinDef(def: FuncDef, builtins: BuiltinLookup): ResolvedFuncDef {
  const resolver = new Resolver(
    (message) => {
      throw new Error(`jq builtin ${def.name}/${def.params.length}: ${message}`);
    },
    builtins,
    new Set(),
    new Map(),
  );
  return resolver.funcDef(def, EMPTY_SCOPE);
}

/** `.a.b` chains over simple nodes are simple (see ResolvedNode's `simple`). */
function isSimpleIndex(target: ResolvedNode, index: ResolvedNode, optional: boolean): boolean {
  return !optional && index.kind === 'literal' && target.simple;
}

/** Whether either child contains a `?//`. */
function either(a: ResolvedNode | null, b: ResolvedNode | null): boolean {
  return (a !== null && a.alternatives) || (b !== null && b.alternatives);
}

class Resolver {
  constructor(
    private readonly fail: (message: string, at: number) => never,
    private readonly builtins: BuiltinLookup,
    private readonly free: Set<string>,
    private readonly host: Map<string, number>,
  ) {}

  funcDef(def: FuncDef, scope: Scope): ResolvedFuncDef {
    let inner = scope;
    for (const p of def.params) {
      inner = { ...inner, funcs: { name: p.name, arity: 0, used: true, next: inner.funcs } };
      if (p.isValue) inner = { ...inner, vars: { name: p.name, next: inner.vars } };
    }
    return { name: def.name, params: def.params, body: this.node(def.body, inner), at: def.at };
  }

  private optional(n: Node | null, scope: Scope): ResolvedNode | null {
    return n === null ? null : this.node(n, scope);
  }

  node(n: Node, scope: Scope): ResolvedNode {
    const at = n.at;
    switch (n.kind) {
      case 'identity':
        return { kind: 'identity', at, simple: true, alternatives: false };
      case 'recurseAll':
        return { kind: 'recurseAll', at, simple: false, alternatives: false };
      case 'literal':
        return { kind: 'literal', value: n.value, at, simple: true, alternatives: false };
      case 'format':
        return { kind: 'format', name: n.name, at, simple: false, alternatives: false };
      case 'loc':
        return { kind: 'loc', line: n.line, at, simple: false, alternatives: false };
      case 'string': {
        const parts: Array<string | ResolvedNode> = [];
        let alternatives = false;
        for (const p of n.parts) {
          if (typeof p === 'string') parts.push(p);
          else {
            const part = this.node(p, scope);
            alternatives ||= part.alternatives;
            parts.push(part);
          }
        }
        return { kind: 'string', parts, format: n.format, at, simple: false, alternatives };
      }
      case 'index': {
        const target = this.node(n.target, scope);
        const index = this.node(n.index, scope);
        const simple = isSimpleIndex(target, index, n.optional);
        return { kind: 'index', target, index, optional: n.optional, at, simple, alternatives: either(target, index) };
      }
      case 'slice': {
        const target = this.node(n.target, scope);
        const from = this.optional(n.from, scope);
        const to = this.optional(n.to, scope);
        const alternatives = target.alternatives || either(from, to);
        return { kind: 'slice', target, from, to, optional: n.optional, at, simple: false, alternatives };
      }
      case 'iterate': {
        const target = this.node(n.target, scope);
        return { kind: 'iterate', target, optional: n.optional, at, simple: false, alternatives: target.alternatives };
      }
      case 'array': {
        const body = this.optional(n.body, scope);
        return { kind: 'array', body, at, simple: false, alternatives: either(body, null) };
      }
      case 'object': {
        const entries: ResolvedObjectEntry[] = [];
        let alternatives = false;
        for (const e of n.entries) {
          const entry = { key: this.node(e.key, scope), value: this.node(e.value, scope) };
          alternatives ||= either(entry.key, entry.value);
          entries.push(entry);
        }
        return { kind: 'object', entries, at, simple: false, alternatives };
      }
      case 'neg': {
        const operand = this.node(n.operand, scope);
        return { kind: 'neg', operand, at, simple: operand.simple, alternatives: operand.alternatives };
      }
      case 'binary': {
        const left = this.node(n.left, scope);
        const right = this.node(n.right, scope);
        return { kind: 'binary', op: n.op, left, right, at, simple: left.simple && right.simple, alternatives: either(left, right) };
      }
      case 'and':
      case 'or': {
        const left = this.node(n.left, scope);
        const right = this.node(n.right, scope);
        return { kind: n.kind, left, right, at, simple: left.simple && right.simple, alternatives: either(left, right) };
      }
      case 'alt':
      case 'pipe':
      case 'comma': {
        const left = this.node(n.left, scope);
        const right = this.node(n.right, scope);
        return { kind: n.kind, left, right, at, simple: false, alternatives: either(left, right) };
      }
      case 'assign': {
        const left = this.node(n.left, scope);
        const right = this.node(n.right, scope);
        return { kind: 'assign', op: n.op, left, right, at, simple: false, alternatives: either(left, right) };
      }
      case 'if': {
        const cond = this.node(n.cond, scope);
        const then = this.node(n.then, scope);
        const otherwise = this.optional(n.else, scope);
        return { kind: 'if', cond, then, else: otherwise, at, simple: false, alternatives: cond.alternatives || either(then, otherwise) };
      }
      case 'try': {
        const body = this.node(n.body, scope);
        const handler = this.optional(n.handler, scope);
        return { kind: 'try', body, handler, at, simple: false, alternatives: either(body, handler) };
      }
      case 'reduce': {
        const source = this.node(n.source, scope);
        const init = this.node(n.init, scope);
        const [[pattern], inner] = this.patterns([n.pattern], scope);
        const update = this.node(n.update, inner);
        const alternatives = either(source, init) || update.alternatives;
        return { kind: 'reduce', source, pattern: pattern as ResolvedPattern, init, update, at, simple: false, alternatives };
      }
      case 'foreach': {
        const source = this.node(n.source, scope);
        const init = this.node(n.init, scope);
        const [[pattern], inner] = this.patterns([n.pattern], scope);
        const update = this.node(n.update, inner);
        const extract = this.optional(n.extract, inner);
        const alternatives = either(source, init) || either(update, extract);
        return { kind: 'foreach', source, pattern: pattern as ResolvedPattern, init, update, extract, at, simple: false, alternatives };
      }
      case 'bind': {
        const source = this.node(n.source, scope);
        const [patterns, inner] = this.patterns(n.patterns, scope);
        const body = this.node(n.body, inner);
        return { kind: 'bind', source, patterns, body, at, simple: false, alternatives: patterns.length > 1 || either(source, body) };
      }
      case 'defs': {
        const entry = { name: n.def.name, arity: n.def.params.length, used: false, next: scope.funcs };
        const inner: Scope = { ...scope, funcs: entry };
        const body = this.node(n.body, inner);
        // Like jq, a definition nothing calls is dropped unchecked (it may call undefined functions).
        if (!entry.used) return body;
        const def = this.funcDef(n.def, inner);
        return { kind: 'defs', def, body, at, simple: false, alternatives: body.alternatives };
      }
      case 'call': {
        const args: ResolvedNode[] = [];
        let alternatives = false;
        for (const a of n.args) {
          const arg = this.node(a, scope);
          alternatives ||= arg.alternatives;
          args.push(arg);
        }
        return { kind: 'call', name: n.name, args, binding: this.bind(n.name, args.length, at, scope), at, simple: false, alternatives };
      }
      case 'var': {
        this.variable(n.name, at, scope);
        return { kind: 'var', name: n.name, at, simple: true, alternatives: false };
      }
      case 'label': {
        const body = this.node(n.body, { ...scope, labels: { name: n.name, next: scope.labels } });
        return { kind: 'label', name: n.name, body, at, simple: false, alternatives: body.alternatives };
      }
      case 'break':
        for (let l = scope.labels; l !== null; l = l.next) {
          if (l.name === n.name) return { kind: 'break', name: n.name, at, simple: false, alternatives: false };
        }
        return this.fail(`$*label-${n.name} is not defined`, at);
    }
  }

  private bind(name: string, arity: number, at: number, scope: Scope): CallBinding {
    for (let f = scope.funcs; f !== null; f = f.next) {
      if (f.name === name && f.arity === arity) {
        f.used = true;
        return LOCAL;
      }
    }
    const builtin = this.builtins(name, arity);
    if (builtin === undefined) return this.fail(`${name}/${arity} is not defined`, at);
    if (HOST_BUILTINS.has(name) && !this.host.has(name)) this.host.set(name, at);
    return builtin;
  }

  private variable(name: string, at: number, scope: Scope): void {
    for (let v = scope.vars; v !== null; v = v.next) if (v.name === name) return;
    if (name === 'ENV') {
      if (!this.host.has('$ENV')) this.host.set('$ENV', at);
    } else this.free.add(name);
  }

  /** The patterns with their key expressions resolved, and the scope their variables open. */
  private patterns(patterns: readonly Pattern[], scope: Scope): [ResolvedPattern[], Scope] {
    let inner = scope;
    const add = (name: string): void => {
      inner = { ...inner, vars: { name, next: inner.vars } };
    };
    const walk = (p: Pattern): void => {
      if (p.kind === 'var') add(p.name);
      else if (p.kind === 'array') p.elements.forEach(walk);
      else
        for (const e of p.entries) {
          if (e.bindVar !== null) add(e.bindVar);
          if (e.value !== null) walk(e.value);
        }
    };
    patterns.forEach(walk);
    // Key expressions of object patterns may use variables bound earlier in the same pattern.
    const resolve = (p: Pattern): ResolvedPattern => {
      if (p.kind === 'var') return p;
      if (p.kind === 'array') return { kind: 'array', elements: p.elements.map(resolve) };
      return {
        kind: 'object',
        entries: p.entries.map((e) => ({ key: this.node(e.key, inner), bindVar: e.bindVar, value: e.value === null ? null : resolve(e.value) })),
      };
    };
    return [patterns.map(resolve), inner];
  }
}
