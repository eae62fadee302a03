/** RFC 7807 problem definitions: inline in `raise`, or named in `use.errors`. */
import { joinPointer } from '../parse/pointer.ts';
import type { ErrorSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject, own } from '../document/values.ts';

export function errorSpec(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): ErrorSpec | undefined {
  if (typeof value === 'string') {
    const named = own(ctx.components.errors, value);
    if (named === undefined) {
      ctx.error('SW304', pointer, `no error named '${value}' in use.errors`, { hint: didYouMean(value, Object.keys(ctx.components.errors)) });
      return undefined;
    }
    return inline(ctx, named, joinPointer('/use/errors', value), scope);
  }
  return inline(ctx, value, pointer, scope);
}

function inline(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): ErrorSpec | undefined {
  const object = asObject(value);
  if (!object || object.type === undefined || object.status === undefined) return undefined;
  const field = (key: string) => (object[key] === undefined ? {} : { [key]: template(ctx, object[key], joinPointer(pointer, key), scope) });
  return {
    type: template(ctx, object.type, joinPointer(pointer, 'type'), scope),
    status: template(ctx, object.status, joinPointer(pointer, 'status'), scope),
    ...field('title'),
    ...field('detail'),
    ...field('instance'),
  };
}
