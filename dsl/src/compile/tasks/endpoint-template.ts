/** A call's `endpoint`: the URI (a template string or a `${ }` expression) with its authentication compiled apart. */
import { joinPointer } from '../../parse/pointer.ts';
import type { Template } from '../../plan.ts';
import { isStrictExpression, template } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';

/** A URI template string, a `${ }` expression, or `{ uri, authentication }` (its authentication compiled apart). */
export function endpointTemplate(site: TaskSite, value: unknown, pointer: string): Template | undefined {
  const { ctx, scope } = site;
  if (typeof value === 'string') {
    if (isStrictExpression(value)) return template(ctx, value, pointer, scope);
    const unreachable = unreachableEndpoint(value);
    if (unreachable) ctx.error('SW307', pointer, unreachable);
    return { kind: 'literal', value };
  }
  const object = asObject(value);
  if (!object) return undefined;
  return typeof object.uri === 'string' ? endpointTemplate(site, object.uri, joinPointer(pointer, 'uri')) : undefined;
}
