import type { Node } from '../ast.ts';
import { parse } from '../parser.ts';
import { resolveBuiltinDef } from '../resolve.ts';
import { coreBuiltins } from './core.ts';
import { dateBuiltins } from './dates.ts';
import { formatBuiltins } from './formats.ts';
import { mathBuiltins } from './math.ts';
import { regexBuiltins } from './regex.ts';
import { streamBuiltins } from './streams.ts';
import { stringBuiltins } from './strings.ts';
import type { Builtin, BuiltinTable } from './types.ts';

const tables: BuiltinTable[] = [coreBuiltins, stringBuiltins, regexBuiltins, mathBuiltins, dateBuiltins, formatBuiltins, streamBuiltins];

const sources = new Map<string, BuiltinTable[string]>();
for (const table of tables) for (const [key, spec] of Object.entries(table)) sources.set(key, spec);

const compiled = new Map<string, Builtin>();

/** Builtins that read the host (clock, environment, input stream, stderr), reported by `hostDependencies`. */
export const HOST_BUILTINS = new Set([
  'now', 'env', 'input', 'inputs', 'input_filename', 'input_line_number', 'debug', 'stderr', 'halt', 'halt_error',
  'localtime', 'strflocaltime', 'mktime', 'get_search_list', '$__prog_args',
]);

export function hasBuiltin(name: string, arity: number): boolean {
  return sources.has(`${name}/${arity}`);
}

export function builtinNames(): string[] {
  return [...sources.keys()].filter((k) => !k.startsWith('_'));
}

export function lookupBuiltin(name: string, arity: number): Builtin | undefined {
  const key = `${name}/${arity}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const spec = sources.get(key);
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
