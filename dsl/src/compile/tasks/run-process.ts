/** The arguments `run: shell`, `run: script` and `run: container` share. */
import { joinPointer } from '../../parse/pointer.ts';
import type { ProcessReturn, Template } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asArray, asBoolean, asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';

const RETURNS: readonly ProcessReturn[] = ['stdout', 'stderr', 'code', 'all', 'none'];

/** The fields every process kind shares, read from `run` and from the process's own object (`at`). */
export function processFields(
  site: TaskSite,
  run: JsonObject,
  process: JsonObject,
  at: string,
): { arguments?: Template; environment?: Template; stdin?: Template; return: ProcessReturn; await: boolean } {
  const { ctx, scope } = site;
  const field = (key: string) => (process[key] === undefined ? undefined : template(ctx, process[key], joinPointer(at, key), scope));
  const args = processArguments(site, process.arguments, joinPointer(at, 'arguments'));
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
function processArguments(site: TaskSite, value: unknown, pointer: string): Template | undefined {
  const { ctx, scope } = site;
  if (value === undefined) return undefined;
  if (asArray(value)) return template(ctx, value, pointer, scope);
  const mapping = asObject(value);
  if (!mapping) return undefined;
  const items: Template[] = [];
  for (const [key, item] of Object.entries(mapping)) {
    items.push(template(ctx, key, joinPointer(pointer, key), scope));
    if (item !== null && item !== undefined) items.push(template(ctx, item, joinPointer(pointer, key), scope));
  }
  return items.every((item) => item.kind === 'literal')
    ? { kind: 'literal', value: items.map((item) => (item as { value: unknown }).value) }
    : { kind: 'array', items };
}
