/**
 * Builtins ready to evaluate: native functions as they are, jq-defined ones parsed and resolved on
 * first use and kept for the process (they are the same for every program).
 */
import type { Node } from '../ast.ts';
import { parse } from '../parser.ts';
import { resolveBuiltinDef } from '../resolve.ts';
import { builtinSpec } from './registry.ts';
import type { Builtin } from './types.ts';

const compiled = new Map<string, Builtin>();

export function lookupBuiltin(name: string, arity: number): Builtin | undefined {
  const key = `${name}/${arity}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const spec = builtinSpec(name, arity);
  if (spec === undefined) return undefined;
  let builtin: Builtin;
  if (typeof spec === 'string') {
    const node = parse(`${spec} .`) as Extract<Node, { kind: 'defs' }>;
    builtin = { kind: 'jq', def: resolveBuiltinDef(node.def) };
  } else if (typeof spec === 'function') {
    builtin = { kind: 'native', fn: spec, paths: false };
  } else {
    builtin = { kind: 'native', fn: spec.fn, paths: true };
  }
  compiled.set(key, builtin);
  return builtin;
}
