/** RFC 7807 problem definitions: inline in `raise`, or named in `use.errors`. */
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { checkTemplate } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject, own } from '../document/values.ts';

export function checkErrorSpec(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (typeof value === 'string') {
    const named = own(ctx.components.errors, value);
    if (named === undefined) {
      ctx.error('SW304', pointer, `no error named '${value}' in use.errors`, { hint: didYouMean(value, Object.keys(ctx.components.errors)) });
      return;
    }
    checkInline(ctx, named, joinPointer('/use/errors', value), scope);
    return;
  }
  checkInline(ctx, value, pointer, scope);
}

function checkInline(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  const object = asObject(value);
  if (!object || object.type === undefined || object.status === undefined) return;
  for (const key of ['type', 'status', 'title', 'detail', 'instance']) {
    if (object[key] !== undefined) checkTemplate(ctx, object[key], joinPointer(pointer, key), scope);
  }
}
