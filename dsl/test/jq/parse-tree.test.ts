/**
 * Compilation never writes to the parse tree: resolution builds the evaluator's own tree beside it.
 * Every corpus program is parsed, frozen all the way down (a write then throws a TypeError), then
 * resolved and evaluated through the frozen tree, which must still equal a fresh parse.
 */
import { expect, test } from 'bun:test';
import type { Node } from '../../src/jq/ast.ts';
import { BudgetMeter, DEFAULT_JQ_BUDGET } from '../../src/jq/budget.ts';
import { lookupBuiltin } from '../../src/jq/builtins/compiled.ts';
import { builtinNames, builtinSpec } from '../../src/jq/builtins/registry.ts';
import { BreakSignal, JqBudgetError, JqRuntimeError, JqSyntaxError } from '../../src/jq/errors.ts';
import { EMPTY_ENV, Interpreter } from '../../src/jq/evaluate.ts';
import { parse } from '../../src/jq/parser.ts';
import { resolveBuiltinDef, resolveProgram } from '../../src/jq/resolve.ts';
import { fromHost, toHost } from '../../src/jq/values.ts';
import { compileJq } from '../../src/jq/index.ts';
import corpus from './corpus.json';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Outputs of the frozen tree's program, or the jq error that ended it (as compileJq's run reports it). */
function evaluate(tree: ReturnType<typeof resolveProgram>['tree'], source: string, input: unknown): unknown {
  const outputs: unknown[] = [];
  try {
    const interpreter = new Interpreter(new BudgetMeter(DEFAULT_JQ_BUDGET, source), { now: 0, globals: {}, envObject: {} });
    interpreter.eval(tree, fromHost(input), null, EMPTY_ENV, (v) => void outputs.push(toHost(v)));
  } catch (e) {
    if (e instanceof JqRuntimeError || e instanceof JqBudgetError || e instanceof BreakSignal || e instanceof RangeError) return { error: true };
    throw e;
  }
  return outputs;
}

function reference(source: string, input: unknown): unknown {
  try {
    return compileJq(source, { host: ['now'] }).run(input, {}, { now: 0 });
  } catch (e) {
    if (e instanceof JqRuntimeError || e instanceof JqBudgetError) return { error: true };
    throw e;
  }
}

test('compiling and running a program leaves its parse tree as parsed', () => {
  let checked = 0;
  for (const { input, filters } of corpus as Array<{ input: unknown; filters: string[] }>) {
    for (const source of filters) {
      let tree: Node;
      try {
        tree = deepFreeze(parse(source));
      } catch (e) {
        if (e instanceof JqSyntaxError || e instanceof RangeError) continue;
        throw e;
      }
      let resolved: ReturnType<typeof resolveProgram>;
      try {
        resolved = resolveProgram(tree, source, lookupBuiltin);
      } catch (e) {
        if (e instanceof JqSyntaxError) continue;
        throw e;
      }
      const hostFree = resolved.freeVariables.length === 0 && [...resolved.hostDependencies.keys()].every((name) => name === 'now');
      const outcome = evaluate(resolved.tree, source, input);
      if (hostFree) expect({ source, outcome }).toEqual({ source, outcome: reference(source, input) });
      expect(tree).toEqual(parse(source));
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(1000);
}, 60_000);

test('resolving a jq-defined builtin leaves its parse tree as parsed', () => {
  let checked = 0;
  for (const key of builtinNames()) {
    const spec = builtinSpec(key.slice(0, key.lastIndexOf('/')), Number(key.slice(key.lastIndexOf('/') + 1)));
    if (typeof spec !== 'string') continue;
    const tree = deepFreeze(parse(`${spec} .`) as Extract<Node, { kind: 'defs' }>);
    resolveBuiltinDef(tree.def, lookupBuiltin);
    expect(tree as Node).toEqual(parse(`${spec} .`));
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(40);
});
