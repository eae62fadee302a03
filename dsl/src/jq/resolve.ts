import type { FuncDef, Node, Pattern } from './ast.ts';
import { JqSyntaxError } from './errors.ts';
import { HOST_BUILTINS, hasBuiltin } from './builtins/registry.ts';

interface Scope {
  funcs: { name: string; arity: number; used: boolean; next: Scope['funcs'] } | null;
  vars: { name: string; next: Scope['vars'] } | null;
  labels: { name: string; next: Scope['labels'] } | null;
}

export interface Resolution {
  freeVariables: string[];
  /** Host builtins and `$ENV` the program uses, each with the offset of its first use. */
  hostDependencies: Map<string, number>;
}

/**
 * Binds every call to a local definition or a builtin (jq reports unknown functions at compile
 * time), and collects the variables the program expects from outside and the host builtins it uses.
 */
export function resolveProgram(node: Node, source: string): Resolution {
  const free = new Set<string>();
  const host = new Map<string, number>();
  new Resolver(
    (message, at) => {
      throw new JqSyntaxError(message, source, at);
    },
    free,
    host,
  ).node(node, { funcs: null, vars: null, labels: null });
  return { freeVariables: [...free], hostDependencies: host };
}

/** Resolves a jq-defined builtin; its own name resolves through the builtin table. */
export function resolveBuiltinDef(def: FuncDef): FuncDef {
  const resolver = new Resolver(
    (message) => {
      throw new Error(`jq builtin ${def.name}/${def.params.length}: ${message}`);
    },
    new Set(),
    new Map(),
  );
  resolver.funcBody(def, { funcs: null, vars: null, labels: null });
  return def;
}

/** Literals, `.`, `$x`, `.a.b` chains and operators over those: one output each, computed directly. */
function isSimpleShape(n: Node): boolean {
  switch (n.kind) {
    case 'literal':
    case 'identity':
    case 'var':
      return true;
    case 'index':
      return !n.optional && n.index.kind === 'literal' && n.target.simple === true;
    case 'binary':
    case 'and':
    case 'or':
      return n.left.simple === true && n.right.simple === true;
    case 'neg':
      return n.operand.simple === true;
    default:
      return false;
  }
}

class Resolver {
  constructor(
    private readonly fail: (message: string, at: number) => never,
    private readonly free: Set<string>,
    private readonly host: Map<string, number>,
  ) {}

  funcBody(def: FuncDef, scope: Scope): void {
    let inner = scope;
    for (const p of def.params) {
      inner = { ...inner, funcs: { name: p.name, arity: 0, used: true, next: inner.funcs } };
      if (p.isValue) inner = { ...inner, vars: { name: p.name, next: inner.vars } };
    }
    this.node(def.body, inner);
  }

  node(n: Node, scope: Scope): void {
    this.visit(n, scope);
    n.simple = isSimpleShape(n);
  }

  private visit(n: Node, scope: Scope): void {
    switch (n.kind) {
      case 'identity':
      case 'recurseAll':
      case 'literal':
      case 'format':
      case 'loc':
        return;
      case 'string':
        for (const p of n.parts) if (typeof p !== 'string') this.node(p, scope);
        return;
      case 'index':
        this.node(n.target, scope);
        this.node(n.index, scope);
        return;
      case 'slice':
        this.node(n.target, scope);
        if (n.from) this.node(n.from, scope);
        if (n.to) this.node(n.to, scope);
        return;
      case 'iterate':
        this.node(n.target, scope);
        return;
      case 'array':
        if (n.body) this.node(n.body, scope);
        return;
      case 'object':
        for (const e of n.entries) {
          this.node(e.key, scope);
          this.node(e.value, scope);
        }
        return;
      case 'neg':
        this.node(n.operand, scope);
        return;
      case 'binary':
      case 'and':
      case 'or':
      case 'alt':
      case 'assign':
      case 'pipe':
      case 'comma':
        this.node(n.left, scope);
        this.node(n.right, scope);
        return;
      case 'if':
        this.node(n.cond, scope);
        this.node(n.then, scope);
        if (n.else) this.node(n.else, scope);
        return;
      case 'try':
        this.node(n.body, scope);
        if (n.handler) this.node(n.handler, scope);
        return;
      case 'reduce':
      case 'foreach': {
        this.node(n.source, scope);
        this.node(n.init, scope);
        const inner = this.patterns([n.pattern], scope);
        this.node(n.update, inner);
        if (n.kind === 'foreach' && n.extract) this.node(n.extract, inner);
        return;
      }
      case 'bind': {
        this.node(n.source, scope);
        this.node(n.body, this.patterns(n.patterns, scope));
        return;
      }
      case 'defs': {
        // Like jq, a definition nothing calls is dropped unchecked (it may call undefined functions).
        const entry = { name: n.def.name, arity: n.def.params.length, used: false, next: scope.funcs };
        const inner: Scope = { ...scope, funcs: entry };
        this.node(n.body, inner);
        if (entry.used) this.funcBody(n.def, inner);
        return;
      }
      case 'call': {
        for (const a of n.args) this.node(a, scope);
        for (let f = scope.funcs; f !== null; f = f.next) {
          if (f.name === n.name && f.arity === n.args.length) {
            n.target = 'local';
            f.used = true;
            return;
          }
        }
        if (!hasBuiltin(n.name, n.args.length)) this.fail(`${n.name}/${n.args.length} is not defined`, n.at);
        n.target = 'builtin';
        if (HOST_BUILTINS.has(n.name) && !this.host.has(n.name)) this.host.set(n.name, n.at);
        return;
      }
      case 'var': {
        for (let v = scope.vars; v !== null; v = v.next) if (v.name === n.name) return;
        if (n.name === 'ENV') {
          if (!this.host.has('$ENV')) this.host.set('$ENV', n.at);
        }
        else this.free.add(n.name);
        return;
      }
      case 'label':
        this.node(n.body, { ...scope, labels: { name: n.name, next: scope.labels } });
        return;
      case 'break':
        for (let l = scope.labels; l !== null; l = l.next) if (l.name === n.name) return;
        this.fail(`$*label-${n.name} is not defined`, n.at);
    }
  }

  private patterns(patterns: Pattern[], scope: Scope): Scope {
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
    const keys = (p: Pattern): void => {
      if (p.kind === 'array') p.elements.forEach(keys);
      else if (p.kind === 'object')
        for (const e of p.entries) {
          this.node(e.key, inner);
          if (e.value !== null) keys(e.value);
        }
    };
    patterns.forEach(keys);
    return inner;
  }
}
