/**
 * Builtins ready to evaluate: native functions as they are, jq-defined ones parsed and resolved on
 * first use and kept for the process (they are the same for every program).
 */
import type { Node } from '../ast.ts';
import { parse } from '../parser.ts';
import { resolveBuiltinDef } from '../resolve.ts';
import { builtinSpec } from './registry.ts';
import type { Builtin, JqBuiltin } from './types.ts';

const compiled = new Map<string, Builtin>();

export function lookupBuiltin(name: string, arity: number): Builtin | undefined {
  const key = `${name}/${arity}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const spec = builtinSpec(name, arity);
  if (spec === undefined) return undefined;
  if (typeof spec === 'string') return compileJqBuiltin(key, spec);
  const builtin: Builtin = typeof spec === 'function' ? { kind: 'native', fn: spec, paths: false } : { kind: 'native', fn: spec.fn, paths: true };
  compiled.set(key, builtin);
  return builtin;
}

function compileJqBuiltin(key: string, source: string): JqBuiltin {
  const parsed = parse(`${source} .`) as Extract<Node, { kind: 'defs' }>;
  // Registered before its body is resolved, so that a builtin calling itself (`combinations`) binds
  // to this very object; its definition is filled in just below, before anything can run it.
  const builtin = { kind: 'jq' } as JqBuiltin;
  compiled.set(key, builtin);
  try {
    builtin.def = resolveBuiltinDef(parsed.def, lookupBuiltin);
  } catch (e) {
    compiled.delete(key);
    throw e;
  }
  return builtin;
}
