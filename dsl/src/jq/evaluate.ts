import type { BudgetMeter } from './budget.ts';
import { BreakSignal, JqHaltError, JqRuntimeError } from './errors.ts';
import { InvalidPath, type Path, type TrackedPath, deletePaths, extendPath, getPath, indexValue, requirePath, setPath, sliceValue } from './paths.ts';
import { arith, compareOp } from './operators.ts';
import { applyFormat } from './builtins/formats.ts';
import type { Builtin } from './builtins/types.ts';
import type { ResolvedFuncDef, ResolvedNode, ResolvedObjectEntry, ResolvedPattern } from './resolved.ts';
import { type JqObject, type Value, describe, dumpForError, isTruthy, setKey, toText, typeOf } from './values.ts';

export type Emit = (value: Value, path: TrackedPath | null) => void;

/** A filter argument: the expression and the scope it was written in. */
export interface Closure {
  node: ResolvedNode;
  env: Env;
}

interface VarBinding {
  name: string;
  value: Value;
  next: VarBinding | null;
}

interface FuncBinding {
  name: string;
  arity: number;
  /** A `def` in scope (its own scope is `scope`), or a filter parameter (`closure`). */
  def: ResolvedFuncDef | null;
  scope: Env | null;
  closure: Closure | null;
  next: FuncBinding | null;
}

interface LabelBinding {
  name: string;
  id: object;
  /** What jq's `catch` sees for a break: {"__jq": index}. */
  index: number;
  next: LabelBinding | null;
}

export interface Env {
  vars: VarBinding | null;
  funcs: FuncBinding | null;
  labels: LabelBinding | null;
}

export interface HostContext {
  now: number | undefined;
  /** Variables given to `run` for the program's free variables. */
  globals: Record<string, Value>;
  envObject: JqObject;
}

const NOTHING = Symbol('nothing');
type Maybe = Value | typeof NOTHING;

/** Carries an error raised downstream of a `try` through it, so only errors of the try's own body are caught. */
class Passthrough {
  constructor(
    readonly owner: object,
    readonly inner: unknown,
  ) {}
}

class StopAfterFirst {
  constructor(readonly owner: object) {}
}

export const EMPTY_ENV: Env = { vars: null, funcs: null, labels: null };

function pathError(v: Value): never {
  throw new JqRuntimeError(`Invalid path expression with result ${dumpForError(v)}`);
}

/** Evaluates a resolved tree (resolved.ts) with jq's generator semantics, in continuation-passing style. */
export class Interpreter {
  constructor(
    readonly meter: BudgetMeter,
    readonly host: HostContext,
  ) {}

  eval(node: ResolvedNode, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    this.meter.at = node.at;
    this.meter.step();
    if (path !== null && node.kind === 'assign' && node.op !== '=') {
      // jq's update-assignment is a reduce over [value, deletions] pairs, which a path expression
      // rejects; `a op= b` first binds each output of b, so an empty b means no error.
      const reject = (): never => {
        throw new JqRuntimeError(`Invalid path expression near attempt to access element 0 of ${dumpForError([input, []], 31)}`);
      };
      if (node.op === '|=') reject();
      this.forEachOutput(node.right, input, env, reject);
      return;
    }
    if (path !== null && node.kind === 'array') {
      // jq collects `[f]` with path tracking still on inside, so f's path errors surface there.
      const out: Value[] = [];
      if (node.body !== null) this.eval(node.body, input, path, env, (v) => void out.push(v));
      this.meter.allocate(8 * out.length + 16);
      emit(out, valuePath(out, input, path));
      return;
    }
    if (path !== null && !PATH_KINDS.has(node.kind)) {
      // `@text` hands back its very input string, which keeps jq's path (identity).
      const keeps = node.kind === 'format' && node.name === 'text';
      this.eval(node, input, null, env, (v) => emit(v, keeps && v === input ? path : valuePath(v, input, path)));
      return;
    }
    if (node.simple && path === null) {
      emit(this.simpleValue(node, input, env), null);
      return;
    }
    switch (node.kind) {
      case 'identity':
        emit(input, path);
        return;
      case 'recurseAll':
        this.recurseDefault(input, path, emit);
        return;
      case 'literal':
        emit(node.value, null);
        return;
      case 'string':
        this.evalString(node.parts, node.format, input, path, env, emit);
        return;
      case 'format':
        emit(applyFormat(node.name, input), null);
        return;
      case 'index': {
        const { target, index, optional } = node;
        const step = (t: Value, tp: TrackedPath | null, k: Value): void => {
          // The path is checked before the index, so `?` does not hide a path error.
          const np = extendPath(tp, k, t);
          let v: Value;
          if (optional) {
            try {
              v = indexValue(t, k);
            } catch (e) {
              if (e instanceof JqRuntimeError) return;
              throw e;
            }
          } else v = indexValue(t, k);
          emit(v, np);
        };
        if (index.kind === 'literal') {
          const k = index.value;
          if (path === null && !optional && isSimple(target)) {
            emit(indexValue(this.simpleValue(target, input, env), k), null);
            return;
          }
          this.eval(target, input, path, env, (t, tp) => step(t, tp, k));
          return;
        }
        this.eval(index, input, null, env, (k) => this.eval(target, input, path, env, (t, tp) => step(t, tp, k)));
        return;
      }
      case 'slice': {
        const { target, optional } = node;
        const from = node.from ?? NULL_LITERAL;
        const to = node.to ?? NULL_LITERAL;
        this.eval(from, input, null, env, (a) =>
          this.eval(to, input, null, env, (b) =>
            this.eval(target, input, path, env, (t, tp) => {
              const np = extendPath(tp, { start: a, end: b }, t);
              let v: Value;
              try {
                v = sliceValue(t, a, b);
              } catch (e) {
                if (optional && e instanceof JqRuntimeError) return;
                throw e;
              }
              emit(v, np);
            }),
          ),
        );
        return;
      }
      case 'iterate':
        this.eval(node.target, input, path, env, (t, tp) => {
          if (node.optional && (t === null || typeof t !== 'object') && !(tp instanceof InvalidPath)) return;
          this.iterate(t, tp, emit);
        });
        return;
      case 'array': {
        const out: Value[] = [];
        if (node.body !== null) this.eval(node.body, input, null, env, (v) => void out.push(v));
        this.meter.allocate(8 * out.length + 16);
        emit(out, null);
        return;
      }
      case 'object':
        this.evalObject(node.entries, 0, [], input, env, emit);
        return;
      case 'neg':
        this.eval(node.operand, input, null, env, (v) => {
          if (typeof v !== 'number') throw new JqRuntimeError(`${describe(v)} cannot be negated`);
          // jq negates literal and input numbers with decNumber, where -0 is 0.
          emit(v === 0 ? 0 : -v, null);
        });
        return;
      case 'binary': {
        const { op, left, right } = node;
        const isCompare = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
        if (isSimple(left) && isSimple(right)) {
          const r = this.simpleValue(right, input, env);
          const l = this.simpleValue(left, input, env);
          emit(isCompare ? compareOp(op, l, r) : arith(op, l, r, this.meter), null);
          return;
        }
        // Right operand outer, left inner, as jq. Operands are materialised so that calls inside them
        // return before the continuation runs (otherwise `fib` nests the stack exponentially).
        this.forEachOutput(right, input, env, (r) =>
          this.forEachOutput(left, input, env, (l) => emit(isCompare ? compareOp(op, l, r) : arith(op, l, r, this.meter), null)),
        );
        return;
      }
      case 'and':
      case 'or': {
        const isAnd = node.kind === 'and';
        this.forEachOutput(node.left, input, env, (l) => {
          if (isTruthy(l) !== isAnd) {
            emit(!isAnd, null);
            return;
          }
          this.forEachOutput(node.right, input, env, (r) => emit(isTruthy(r), null));
        });
        return;
      }
      case 'alt':
        this.evalAlternative(node.left, node.right, input, path, env, emit);
        return;
      case 'assign':
        this.evalAssign(node.op, node.left, node.right, input, path, env, emit);
        return;
      case 'pipe': {
        const right = node.right;
        this.eval(node.left, input, path, env, (v, p) => this.eval(right, v, p, env, emit));
        return;
      }
      case 'comma':
        this.eval(node.left, input, path, env, emit);
        this.eval(node.right, input, path, env, emit);
        return;
      case 'if':
        this.eval(node.cond, input, null, env, (c) => {
          if (isTruthy(c)) this.eval(node.then, input, path, env, emit);
          else if (node.else !== null) this.eval(node.else, input, path, env, emit);
          else emit(input, path);
        });
        return;
      case 'try':
        this.evalTry(node.body, node.handler, input, path, env, emit);
        return;
      case 'reduce':
        this.evalReduce(node, input, path, env, emit);
        return;
      case 'foreach':
        this.evalForeach(node, input, path, env, emit);
        return;
      case 'bind':
        this.evalBind(node.source, node.patterns, node.body, input, path, env, emit);
        return;
      case 'defs': {
        const binding: FuncBinding = { name: node.def.name, arity: node.def.params.length, def: node.def, scope: null, closure: null, next: env.funcs };
        const inner: Env = { vars: env.vars, funcs: binding, labels: env.labels };
        binding.scope = inner;
        this.eval(node.body, input, path, inner, emit);
        return;
      }
      case 'call': {
        const binding = node.binding;
        if (binding.kind === 'local') this.evalLocalCall(node.name, node.args, input, path, env, emit);
        else this.evalBuiltin(binding, node.name, node.args, input, path, env, emit);
        return;
      }
      case 'var': {
        emit(this.lookupVar(node.name, env), null);
        return;
      }
      case 'loc':
        emit({ file: '<top-level>', line: node.line }, null);
        return;
      case 'label': {
        const id = {};
        const index = env.labels === null ? 0 : env.labels.index + 1;
        const inner: Env = { vars: env.vars, funcs: env.funcs, labels: { name: node.name, id, index, next: env.labels } };
        try {
          this.eval(node.body, input, path, inner, emit);
        } catch (e) {
          if (e instanceof BreakSignal && e.label === id) return;
          throw e;
        }
        return;
      }
      case 'break': {
        for (let l = env.labels; l !== null; l = l.next) if (l.name === node.name) throw new BreakSignal(l.id, l.index);
        throw new JqRuntimeError(`$*label-${node.name} is not defined`);
      }
    }
  }

  /** The single output of a node for which `isSimple` holds. */
  private simpleValue(node: ResolvedNode, input: Value, env: Env): Value {
    this.meter.step();
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'identity':
        return input;
      case 'var':
        return this.lookupVar(node.name, env);
      case 'index':
        return indexValue(this.simpleValue(node.target, input, env), (node.index as Extract<ResolvedNode, { kind: 'literal' }>).value);
      case 'binary': {
        const r = this.simpleValue(node.right, input, env);
        const l = this.simpleValue(node.left, input, env);
        const op = node.op;
        const isCompare = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
        return isCompare ? compareOp(op, l, r) : arith(op, l, r, this.meter);
      }
      case 'and':
        return isTruthy(this.simpleValue(node.left, input, env)) ? isTruthy(this.simpleValue(node.right, input, env)) : false;
      case 'or':
        return isTruthy(this.simpleValue(node.left, input, env)) ? true : isTruthy(this.simpleValue(node.right, input, env));
      case 'neg': {
        const v = this.simpleValue(node.operand, input, env);
        if (typeof v !== 'number') throw new JqRuntimeError(`${describe(v)} cannot be negated`);
        return v === 0 ? 0 : -v;
      }
      default:
        throw new Error(`not a simple node: ${node.kind}`);
    }
  }

  /**
   * Evaluates `node` to completion, then calls `each` for its outputs; an error or break raised
   * after some outputs is re-raised after those outputs are processed, as jq's backtracking would.
   */
  forEachOutput(node: ResolvedNode, input: Value, env: Env, each: (v: Value) => void): void {
    if (node.simple) {
      each(this.simpleValue(node, input, env));
      return;
    }
    if (node.alternatives) {
      // `?//` retries on errors raised later in the pipeline, so its outputs must stay lazy.
      this.eval(node, input, null, env, each);
      return;
    }
    const outputs: Value[] = [];
    let failure: unknown = null;
    try {
      this.eval(node, input, null, env, (v) => void outputs.push(v));
    } catch (e) {
      if (!(e instanceof JqRuntimeError || e instanceof BreakSignal)) throw e;
      failure = e;
    }
    for (const v of outputs) each(v);
    if (failure !== null) throw failure;
  }

  /** All outputs of a closure, in value mode. */
  values(c: Closure, input: Value): Value[] {
    const out: Value[] = [];
    this.eval(c.node, input, null, c.env, (v) => void out.push(v));
    return out;
  }

  run(c: Closure, input: Value, path: TrackedPath | null, emit: Emit): void {
    this.eval(c.node, input, path, c.env, emit);
  }

  /** The first output of a closure (evaluation stops there), or NOTHING. */
  first(c: Closure, input: Value, path: TrackedPath | null = null): { value: Value; path: TrackedPath | null } | null {
    const owner = {};
    let found: { value: Value; path: TrackedPath | null } | null = null;
    try {
      this.eval(c.node, input, path, c.env, (v, p) => {
        found = { value: v, path: p };
        throw new StopAfterFirst(owner);
      });
    } catch (e) {
      if (!(e instanceof StopAfterFirst && e.owner === owner)) throw e;
    }
    return found;
  }

  /** Runs `body`, calling `emit` outside the protected region: errors from `emit` pass through `handle`. */
  protect(body: (emit: Emit) => void, emit: Emit, handle: (error: JqRuntimeError) => void): void {
    const owner = {};
    try {
      body((v, p) => {
        try {
          emit(v, p);
        } catch (e) {
          throw new Passthrough(owner, e);
        }
      });
    } catch (e) {
      if (e instanceof Passthrough && e.owner === owner) throw e.inner;
      if (e instanceof JqRuntimeError && !(e instanceof JqHaltError)) handle(e);
      // jq implements `break` as an error, so a `try` between the break and its label catches it.
      else if (e instanceof BreakSignal) handle(new JqRuntimeError({ __jq: e.index }));
      else throw e;
    }
  }

  iterate(t: Value, tp: TrackedPath | null, emit: Emit): void {
    if (tp instanceof InvalidPath) throw new JqRuntimeError(`Invalid path expression near attempt to iterate through ${dumpForError(t, 31)}`);
    if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) emit(t[i] as Value, tp === null ? null : [...tp, i]);
    } else if (t !== null && typeof t === 'object') {
      for (const k of Object.keys(t)) emit(t[k] as Value, tp === null ? null : [...tp, k]);
    } else {
      throw new JqRuntimeError(`Cannot iterate over ${describe(t)}`);
    }
  }

  recurseDefault(v: Value, p: TrackedPath | null, emit: Emit): void {
    this.meter.step();
    emit(v, p);
    if (v !== null && typeof v === 'object') {
      this.meter.enter();
      try {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) this.recurseDefault(v[i] as Value, extendPath(p, i, v), emit);
        } else {
          for (const k of Object.keys(v)) this.recurseDefault(v[k] as Value, extendPath(p, k, v), emit);
        }
      } finally {
        this.meter.leave();
      }
    }
  }

  private lookupVar(name: string, env: Env): Value {
    for (let b = env.vars; b !== null; b = b.next) if (b.name === name) return b.value;
    if (name === 'ENV') return this.host.envObject;
    if (Object.prototype.hasOwnProperty.call(this.host.globals, name)) return this.host.globals[name] as Value;
    throw new JqRuntimeError(`$${name} is not defined`);
  }

  private evalString(parts: ReadonlyArray<string | ResolvedNode>, format: string | null, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    // jq varies the last interpolation slowest.
    const go = (i: number, suffix: string): void => {
      if (i < 0) {
        this.meter.allocate(suffix.length);
        emit(suffix, null);
        return;
      }
      const part = parts[i] as string | ResolvedNode;
      if (typeof part === 'string') {
        go(i - 1, part + suffix);
        return;
      }
      this.forEachOutput(part, input, env, (v) => go(i - 1, (format === null ? toText(v) : applyFormat(format, v)) + suffix));
    };
    go(parts.length - 1, '');
  }

  private evalObject(entries: readonly ResolvedObjectEntry[], i: number, acc: Array<[string, Value]>, input: Value, env: Env, emit: Emit): void {
    if (i === entries.length) {
      const out: JqObject = {};
      for (const [k, v] of acc) setKey(out, k, v);
      this.meter.allocate(16 * acc.length + 16);
      emit(out, null);
      return;
    }
    const entry = entries[i] as ResolvedObjectEntry;
    this.forEachOutput(entry.key, input, env, (k) => {
      this.forEachOutput(entry.value, input, env, (v) => {
        // jq checks the key when inserting, so a value with no outputs means no error.
        if (typeof k !== 'string') throw new JqRuntimeError(`Cannot use ${describe(k)} as object key`);
        acc.push([k, v]);
        try {
          this.evalObject(entries, i + 1, acc, input, env, emit);
        } finally {
          acc.pop();
        }
      });
    });
  }

  private evalAlternative(left: ResolvedNode, right: ResolvedNode, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    let any = false;
    this.eval(left, input, path, env, (v, p) => {
      if (isTruthy(v)) {
        any = true;
        emit(v, p);
      }
    });
    if (!any) this.eval(right, input, path, env, emit);
  }

  private evalTry(body: ResolvedNode, handler: ResolvedNode | null, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    this.protect(
      (out) => this.eval(body, input, path, env, out),
      emit,
      (error) => {
        if (handler === null) return;
        this.eval(handler, error.value as Value, null, env, (v) => emit(v, valuePath(v, input, path)));
      },
    );
  }

  private evalReduce(node: Extract<ResolvedNode, { kind: 'reduce' }>, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    this.eval(node.init, input, path, env, (initial, initialPath) => {
      let acc: Value = initial;
      let accPath: TrackedPath | null = initialPath;
      this.eval(node.source, input, null, env, (item) => {
        this.destructure(node.pattern, item, input, env, (inner) => {
          let last: Maybe = NOTHING;
          let lastPath: TrackedPath | null = null;
          this.eval(node.update, acc, accPath, inner, (v, p) => {
            last = v;
            lastPath = p;
          });
          if (last === NOTHING) {
            acc = null;
            accPath = path === null ? null : accPath;
          } else {
            acc = last;
            accPath = lastPath;
          }
        });
      });
      emit(acc, accPath);
    });
  }

  private evalForeach(node: Extract<ResolvedNode, { kind: 'foreach' }>, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    this.eval(node.init, input, path, env, (initial, initialPath) => {
      let state: Value = initial;
      let statePath: TrackedPath | null = initialPath;
      this.eval(node.source, input, null, env, (item) => {
        this.destructure(node.pattern, item, input, env, (inner) => {
          let produced = false;
          this.eval(node.update, state, statePath, inner, (v, p) => {
            produced = true;
            state = v;
            statePath = p;
            if (node.extract === null) emit(v, p);
            else this.eval(node.extract, v, p, inner, emit);
          });
          // jq 1.8 leaves null as the state when the update produced nothing.
          if (!produced) {
            state = null;
            statePath = valuePath(null, input, path);
          }
        });
      });
    });
  }

  private evalBind(source: ResolvedNode, patterns: readonly ResolvedPattern[], body: ResolvedNode, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    this.eval(source, input, null, env, (value) => {
      if (patterns.length === 1) {
        this.destructure(patterns[0] as ResolvedPattern, value, input, env, (inner) => this.eval(body, input, path, inner, emit));
        return;
      }
      // `?//`: every variable of every alternative exists, null unless bound by the alternative in use.
      let base = env;
      for (const name of patternVariables(patterns)) base = bindVar(base, name, null);
      // An error or break anywhere after the binding (even downstream of it and past a `try`, as in
      // jq's backtracking) moves on to the next alternative; the last alternative's errors propagate.
      for (let i = 0; i < patterns.length; i++) {
        const pattern = patterns[i] as ResolvedPattern;
        if (i === patterns.length - 1) {
          this.destructure(pattern, value, input, base, (inner) => this.eval(body, input, path, inner, emit));
          return;
        }
        try {
          this.destructure(pattern, value, input, base, (inner) => this.eval(body, input, path, inner, emit));
          return;
        } catch (e) {
          if (!backtrackingError(e)) throw e;
        }
      }
    });
  }

  destructure(pattern: ResolvedPattern, value: Value, input: Value, env: Env, then: (env: Env) => void): void {
    switch (pattern.kind) {
      case 'var':
        then(bindVar(env, pattern.name, value));
        return;
      case 'array': {
        // jq indexes the elements last to first, which decides which error a bad value reports.
        for (let i = pattern.elements.length - 1; i >= 0; i--) indexValue(value, i);
        const go = (i: number, e: Env): void => {
          if (i === pattern.elements.length) {
            then(e);
            return;
          }
          this.destructure(pattern.elements[i] as ResolvedPattern, indexValue(value, i), input, e, (next) => go(i + 1, next));
        };
        go(0, env);
        return;
      }
      case 'object': {
        const go = (i: number, e: Env): void => {
          if (i === pattern.entries.length) {
            then(e);
            return;
          }
          const entry = pattern.entries[i] as (typeof pattern.entries)[number];
          this.eval(entry.key, input, null, e, (k) => {
            if (typeof k !== 'string') throw new JqRuntimeError(`Cannot index ${typeOf(value)} with ${describe(k)}`);
            const member = indexValue(value, k);
            const withVar = entry.bindVar === null ? e : bindVar(e, entry.bindVar, member);
            if (entry.value === null) go(i + 1, withVar);
            else this.destructure(entry.value, member, input, withVar, (next) => go(i + 1, next));
          });
        };
        go(0, env);
        return;
      }
    }
  }

  private evalAssign(op: string, left: ResolvedNode, right: ResolvedNode, input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    const pathsOf = (root: Value): Path[] => {
      const out: Path[] = [];
      this.eval(left, root, [], env, (v, p) => void out.push(requirePath(p, v)));
      return out;
    };
    if (op === '|=') {
      let acc = input;
      const removed: Path[] = [];
      for (const p of pathsOf(input)) {
        const old = getPath(acc, p);
        const next = this.first({ node: right, env }, old);
        if (next === null) removed.push(p);
        else acc = setPath(acc, p, next.value);
      }
      emit(removed.length ? deletePaths(acc, removed) : acc, null);
      return;
    }
    this.eval(right, input, null, env, (rhs) => {
      let acc = input;
      const paths = pathsOf(input);
      for (const p of paths) {
        if (op === '=') acc = setPath(acc, p, rhs);
        else if (op === '//=') {
          const old = getPath(acc, p);
          acc = setPath(acc, p, isTruthy(old) ? old : rhs);
        } else acc = setPath(acc, p, arith(op.slice(0, 1) as '+', getPath(acc, p), rhs, this.meter));
      }
      // Inside a path expression, `=` over no paths is jq's `reduce` returning `.` itself.
      emit(acc, path === null ? null : paths.length === 0 ? path : new InvalidPath(acc));
    });
  }

  private evalLocalCall(name: string, args: readonly ResolvedNode[], input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    const arity = args.length;
    for (let f = env.funcs; f !== null; f = f.next) {
      if (f.name !== name || f.arity !== arity) continue;
      if (f.closure !== null) {
        this.eval(f.closure.node, input, path, f.closure.env, emit);
        return;
      }
      this.callDef(f.def as ResolvedFuncDef, f.scope as Env, args, env, input, path, emit);
      return;
    }
    throw new JqRuntimeError(`${name}/${arity} is not defined`);
  }

  private evalBuiltin(builtin: Builtin, name: string, args: readonly ResolvedNode[], input: Value, path: TrackedPath | null, env: Env, emit: Emit): void {
    if (builtin.kind === 'jq') {
      this.callDef(builtin.def, EMPTY_ENV, args, env, input, path, emit);
      return;
    }
    const closures = args.length === 0 ? NO_CLOSURES : args.map((node) => ({ node, env }));
    if (path !== null && !builtin.paths) {
      // A builtin that hands back its very input string (`tostring`, `rtrim` with nothing to trim)
      // keeps jq's path, as jq compares values by identity.
      const keeps = STRING_IDENTITY_BUILTINS.has(name);
      builtin.fn(this, input, null, closures, (v) => emit(v, keeps && typeof v === 'string' && v === input ? path : valuePath(v, input, path)));
      return;
    }
    builtin.fn(this, input, path, closures, emit);
  }

  callDef(def: ResolvedFuncDef, scope: Env, args: readonly ResolvedNode[], callerEnv: Env, input: Value, path: TrackedPath | null, emit: Emit): void {
    this.meter.enter();
    try {
      let env: Env = { vars: scope.vars, funcs: scope.funcs, labels: scope.labels };
      // Recursion sees the definition itself; a jq-defined builtin calling itself is bound to itself by the resolver.
      const valueParams: Array<{ name: string; node: ResolvedNode }> = [];
      def.params.forEach((p, i) => {
        const arg = args[i] as ResolvedNode;
        if (p.isValue) valueParams.push({ name: p.name, node: arg });
        else env = { ...env, funcs: { name: p.name, arity: 0, def: null, scope: null, closure: { node: arg, env: callerEnv }, next: env.funcs } };
      });
      if (valueParams.length === 0) {
        this.eval(def.body, input, path, env, emit);
        return;
      }
      const bindFrom = (i: number, e: Env): void => {
        if (i === valueParams.length) {
          this.eval(def.body, input, path, e, emit);
          return;
        }
        const vp = valueParams[i] as { name: string; node: ResolvedNode };
        this.forEachOutput(vp.node, input, callerEnv, (v) => {
          const withVar = bindVar(e, vp.name, v);
          const withFunc: Env = {
            vars: withVar.vars,
            funcs: { name: vp.name, arity: 0, def: null, scope: null, closure: { node: { kind: 'var', name: vp.name, at: 0, simple: true, alternatives: false }, env: withVar }, next: withVar.funcs },
            labels: withVar.labels,
          };
          bindFrom(i + 1, withFunc);
        });
      };
      bindFrom(0, env);
    } finally {
      this.meter.leave();
    }
  }
}

/** Node kinds that can produce paths; every other kind inside a path expression is an error. */
const PATH_KINDS = new Set<ResolvedNode['kind']>([
  'identity', 'recurseAll', 'index', 'slice', 'iterate', 'alt', 'pipe', 'comma', 'if', 'try', 'reduce', 'foreach', 'bind', 'defs', 'call', 'label', 'break', 'assign',
]);

/**
 * The path of a value computed inside a path expression: jq accepts it only when it is the very
 * value at the current path, which can only happen for the singletons null, true and false.
 */
function valuePath(v: Value, input: Value, path: TrackedPath | null): TrackedPath | null {
  if (path === null) return null;
  return (v === null || typeof v === 'boolean') && v === input ? path : new InvalidPath(v);
}

const NO_CLOSURES: Closure[] = [];

/** Builtins that return the input string itself (not a copy) when they leave it unchanged. */
const STRING_IDENTITY_BUILTINS = new Set(['tostring', 'ltrimstr', 'rtrimstr', 'trimstr', 'trim', 'ltrim', 'rtrim']);

/** Whether `e` is a jq error or break, looking through errors carried past `try` blocks. */
function backtrackingError(e: unknown): boolean {
  while (e instanceof Passthrough) e = e.inner;
  return (e instanceof JqRuntimeError && !(e instanceof JqHaltError)) || e instanceof BreakSignal;
}

function isSimple(node: ResolvedNode): boolean {
  return node.simple;
}

const NULL_LITERAL: ResolvedNode = { kind: 'literal', value: null, at: 0, simple: true, alternatives: false };

function bindVar(env: Env, name: string, value: Value): Env {
  return { vars: { name, value, next: env.vars }, funcs: env.funcs, labels: env.labels };
}

function patternVariables(patterns: readonly ResolvedPattern[]): string[] {
  const names: string[] = [];
  const walk = (p: ResolvedPattern): void => {
    if (p.kind === 'var') names.push(p.name);
    else if (p.kind === 'array') p.elements.forEach(walk);
    else
      for (const e of p.entries) {
        if (e.bindVar !== null) names.push(e.bindVar);
        if (e.value !== null) walk(e.value);
      }
  };
  patterns.forEach(walk);
  return names;
}
