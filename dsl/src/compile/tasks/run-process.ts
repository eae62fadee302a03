/** The arguments `run: shell`, `run: script` and `run: container` share. */
import type { ProcessReturn, Template } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { template } from '../expressions.ts';
import { asArray, asBoolean, asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';

const RETURNS: readonly ProcessReturn[] = ['stdout', 'stderr', 'code', 'all', 'none'];

/** The fields every process kind shares, read from `run` and from the process's own object. */
export function processFields(
  ctx: CompileContext,
  run: JsonObject,
  process: JsonObject,
): { arguments?: Template; environment?: Template; stdin?: Template; return: ProcessReturn; await: boolean } {
  const field = (key: string) => (process[key] === undefined ? undefined : template(ctx, process[key]));
  const args = processArguments(ctx, process.arguments);
  const environment = field('environment');
  const stdin = field('stdin');
  const written = asString(run.return) ?? 'stdout';
  return {
    ...(args ? { arguments: args } : {}),
    ...(environment ? { environment } : {}),
    ...(stdin ? { stdin } : {}),
    return: (RETURNS as readonly string[]).includes(written) ? (written as ProcessReturn) : 'stdout',
    await: asBoolean(run.await) ?? true,
  };
}

/** DSL 1.0.3's list as is; DSL 1.0.0's mapping as the list of each key then its value (unless null). */
function processArguments(ctx: CompileContext, value: unknown): Template | undefined {
  if (value === undefined) return undefined;
  if (asArray(value)) return template(ctx, value);
  const mapping = asObject(value);
  if (!mapping) return undefined;
  const items: Template[] = [];
  for (const [key, item] of Object.entries(mapping)) {
    items.push(template(ctx, key));
    if (item !== null && item !== undefined) items.push(template(ctx, item));
  }
  return items.every((item) => item.kind === 'literal')
    ? { kind: 'literal', value: items.map((item) => (item as { value: unknown }).value) }
    : { kind: 'array', items };
}
