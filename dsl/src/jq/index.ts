import { BudgetMeter, DEFAULT_JQ_BUDGET, type JqBudget } from './budget.ts';
import { lookupBuiltin } from './builtins/compiled.ts';
import { HOST_BUILTINS } from './builtins/registry.ts';
import { BreakSignal, JqBudgetError, JqCapabilityError, JqRuntimeError, JqSyntaxError } from './errors.ts';
import { EMPTY_ENV, type HostContext, Interpreter } from './evaluate.ts';
import { parse } from './parser.ts';
import { resolveProgram } from './resolve.ts';
import type { ResolvedNode } from './resolved.ts';
import { type JqObject, type Value, fromHost, setKey, toHost } from './values.ts';

export { DEFAULT_JQ_BUDGET, JqBudgetError, JqCapabilityError, JqRuntimeError, JqSyntaxError };
export type { JqBudget };

/** Everything a jq program can reach outside itself: host builtins and `$ENV`. */
export const HOST_CAPABILITIES: readonly string[] = Object.freeze([...HOST_BUILTINS, '$ENV'].filter((name) => name !== '$__prog_args'));

export interface JqCompileOptions {
  /**
   * Host capabilities the program may use (`now`, `env`, `$ENV`, `input`, `debug` …, names as in
   * HOST_CAPABILITIES); none by default. Using another is a JqCapabilityError at compilation.
   */
  readonly host?: readonly string[];
}

export interface JqRunOptions {
  budget?: Partial<JqBudget>;
  /** Epoch seconds from the host (workflow time); `now` fails without it. */
  now?: number;
  /** The host's fixed environment map for `$ENV`/`env`; default {}. */
  env?: Record<string, string>;
}

/**
 * Bounds on the kept programs: by count, and by the length of their sources. A compiled program
 * holds about 30 bytes of heap per source character, so the kept ones stay near 30 MiB at most;
 * workflow expressions are rarely longer than a few hundred characters.
 */
const MAX_KEPT_PROGRAMS = 2_000;
const MAX_KEPT_SOURCE_CHARS = 1024 * 1024;
const MAX_KEPT_PROGRAM_CHARS = 16 * 1024;
/** Least recently used first. */
const programs = new Map<string, JqProgram>();
let keptChars = 0;

export interface JqProgram {
  readonly source: string;
  /** Builtins/variables used that depend on the host ('now', 'env', '$ENV', 'input', ...), exact names. */
  readonly hostDependencies: readonly string[];
  /** $variables the program reads from outside, excluding $ENV and $__loc__. */
  readonly freeVariables: readonly string[];
  /** All outputs; throws JqRuntimeError or JqBudgetError. */
  run(input: unknown, variables?: Record<string, unknown>, options?: JqRunOptions): unknown[];
}

/**
 * Parses and checks a jq program once; the result is reusable and holds no per-run state.
 * Programs are kept by source and granted capabilities, so an expression is parsed once per
 * process (once per workflow context in a worker), however many executions evaluate it: parsing
 * costs more than most evaluations. Compiling is a pure function of both, so sharing the result
 * is invisible, replay included. Syntax and capability errors are not kept.
 */
export function compileJq(source: string, options: JqCompileOptions = {}): JqProgram {
  if (typeof source !== 'string') throw new JqSyntaxError('a jq expression must be a string', '', 0);
  const granted = options.host ?? [];
  const key = `${granted.join(',')}\n${source}`;
  const kept = programs.get(key);
  if (kept) {
    programs.delete(key);
    programs.set(key, kept);
    return kept;
  }
  const program = compileUncached(source, granted);
  keep(key, program);
  return program;
}

function keep(key: string, program: JqProgram): void {
  if (key.length > MAX_KEPT_PROGRAM_CHARS) return;
  programs.set(key, program);
  keptChars += key.length;
  for (const [oldest] of programs) {
    if (programs.size <= MAX_KEPT_PROGRAMS && keptChars <= MAX_KEPT_SOURCE_CHARS) break;
    programs.delete(oldest);
    keptChars -= oldest.length;
  }
}

function compileUncached(source: string, granted: readonly string[]): JqProgram {
  let resolution: ReturnType<typeof resolveProgram>;
  try {
    resolution = resolveProgram(parse(source), source, lookupBuiltin);
  } catch (e) {
    if (e instanceof RangeError) throw new JqSyntaxError('expression is nested too deeply', source, 0);
    throw e;
  }
  const { tree, freeVariables } = resolution;
  for (const [capability, offset] of resolution.hostDependencies) {
    if (!granted.includes(capability)) throw new JqCapabilityError(capability, source, offset);
  }
  return Object.freeze({
    source,
    hostDependencies: Object.freeze([...resolution.hostDependencies.keys()]),
    freeVariables: Object.freeze(freeVariables),
    run(input: unknown, variables: Record<string, unknown> = {}, options: JqRunOptions = {}): unknown[] {
      return runProgram(tree, source, input, variables, options);
    },
  });
}

function runProgram(tree: ResolvedNode, source: string, input: unknown, variables: Record<string, unknown>, options: JqRunOptions): unknown[] {
  const limits: JqBudget = { ...DEFAULT_JQ_BUDGET, ...(options.budget ?? {}) };
  const meter = new BudgetMeter(limits, source);
  const outputs: unknown[] = [];
  try {
    const globals: Record<string, Value> = {};
    for (const name of Object.keys(variables ?? {})) setKey(globals as JqObject, name, fromHost(variables[name]));
    const envObject: JqObject = {};
    for (const [k, v] of Object.entries(options.env ?? {})) setKey(envObject, k, String(v));
    if (options.now !== undefined && typeof options.now !== 'number') throw new JqRuntimeError('options.now must be epoch seconds (a number)');
    const host: HostContext = { now: options.now, globals, envObject };
    const interpreter = new Interpreter(meter, host);
    interpreter.eval(tree, fromHost(input), null, EMPTY_ENV, (v) => {
      outputs.push(toHost(v));
    });
  } catch (e) {
    if (e instanceof JqRuntimeError || e instanceof JqBudgetError) throw e;
    if (e instanceof BreakSignal) throw new JqRuntimeError('break');
    if (e instanceof RangeError) throw meter.depthExceeded();
    throw e;
  }
  return outputs;
}
