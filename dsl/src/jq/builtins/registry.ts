/**
 * Every builtin's definition, by `name/arity`: native functions and jq-defined sources. This
 * module only knows the tables; compiling a jq-defined builtin is builtins/compiled.ts's job, so
 * the resolver can ask what exists without importing the parser or itself back.
 */
import { coreBuiltins } from './core.ts';
import { dateBuiltins } from './dates.ts';
import { formatBuiltins } from './formats.ts';
import { mathBuiltins } from './math.ts';
import { regexBuiltins } from './regex.ts';
import { streamBuiltins } from './streams.ts';
import { stringBuiltins } from './strings.ts';
import { unary } from './helpers.ts';
import type { BuiltinTable } from './types.ts';

export type BuiltinSpec = BuiltinTable[string];

const tables: BuiltinTable[] = [coreBuiltins, stringBuiltins, regexBuiltins, mathBuiltins, dateBuiltins, formatBuiltins, streamBuiltins];

const sources = new Map<string, BuiltinSpec>();
for (const table of tables) for (const [key, spec] of Object.entries(table)) sources.set(key, spec);
// `builtins` lists the table it belongs to, so it is defined here rather than in a table.
sources.set('builtins/0', unary(() => builtinNames()));

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

export function builtinSpec(name: string, arity: number): BuiltinSpec | undefined {
  return sources.get(`${name}/${arity}`);
}
