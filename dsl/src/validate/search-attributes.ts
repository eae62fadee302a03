/**
 * Zigflow's task-level `metadata.searchAttributes`: `{ <name>: { type, value } }`, upserted on the
 * workflow when the task starts. Only dialect documents give it that meaning (a specification
 * document's metadata is free-form). Values may be `${ }` expressions; a written value of the
 * wrong kind is refused here, a computed one when the task runs.
 */
import { joinPointer } from '../parse/pointer.ts';
import type { SearchAttributeKind } from '../plan.ts';
import type { TaskSite } from './task-site.ts';
import { checkTemplate } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject } from '../document/values.ts';
import { isStrictExpression } from '../document/expression-checker.ts';

const SEARCH_ATTRIBUTE_KINDS: readonly SearchAttributeKind[] = ['text', 'keyword', 'keywordlist', 'int', 'double', 'bool', 'datetime'];

export function checkSearchAttributes(site: TaskSite, metadata: Readonly<Record<string, unknown>> | undefined, pointer: string): void {
  const { ctx } = site;
  if (ctx.dialect !== 'zigflow' || !metadata || !Object.hasOwn(metadata, 'searchAttributes')) return;
  const base = joinPointer(pointer, 'searchAttributes');
  const written = asObject(metadata.searchAttributes);
  if (!written) {
    ctx.error('SW307', base, 'searchAttributes must be a mapping of attribute names to { type, value }');
    return;
  }
  for (const [name, entry] of Object.entries(written)) {
    const at = joinPointer(base, name);
    const object = asObject(entry);
    const type = typeof object?.type === 'string' ? object.type.toLowerCase() : undefined;
    if (!object || !type || !(SEARCH_ATTRIBUTE_KINDS as readonly string[]).includes(type)) {
      const given = typeof object?.type === 'string' ? object.type : '';
      ctx.error('SW307', object ? joinPointer(at, 'type') : at, `a search attribute needs a type: one of ${SEARCH_ATTRIBUTE_KINDS.join(', ')}`, {
        hint: didYouMean(given, SEARCH_ATTRIBUTE_KINDS),
      });
      continue;
    }
    const kind = type as SearchAttributeKind;
    const value = object.value ?? null;
    const problem = isStrictExpression(value) ? undefined : literalProblem(kind, value);
    if (problem) {
      ctx.error('SW307', joinPointer(at, 'value'), `a ${kind} search attribute ${problem}`);
      continue;
    }
    // `$secrets` here is SW405 like anywhere a value is recorded in history.
    checkTemplate(ctx, value, joinPointer(at, 'value'), site.scope);
  }
}

/** Why a written value cannot be an attribute of that kind (null unsets any kind). */
function literalProblem(kind: SearchAttributeKind, value: unknown): string | undefined {
  if (value === null) return undefined;
  switch (kind) {
    case 'text':
    case 'keyword':
      return typeof value === 'string' ? undefined : 'takes a string';
    case 'keywordlist':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'takes a list of strings';
    case 'int':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value) && value !== '' ? undefined : 'takes a whole number';
    case 'double':
      return Number.isFinite(typeof value === 'string' ? Number(value) : value) && value !== '' ? undefined : 'takes a number';
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'takes true or false';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'takes an RFC 3339 timestamp';
  }
}
