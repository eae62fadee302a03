/** RFC 7807 problem definitions: inline in `raise`, or named in `use.errors`. */
import type { ErrorSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';
import { asObject, own } from '../document/values.ts';

export function errorSpec(ctx: CompileContext, value: unknown): ErrorSpec {
  const object = asObject(typeof value === 'string' ? own(ctx.components.errors, value) : value)!;
  const field = (key: string) => (object[key] === undefined ? {} : { [key]: template(ctx, object[key]) });
  return {
    type: template(ctx, object.type),
    status: template(ctx, object.status),
    ...field('title'),
    ...field('detail'),
    ...field('instance'),
  };
}
