/** A call's `endpoint`: a URI template string, a `${ }` expression, or `{ uri, authentication }` (its authentication checked apart). */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';

export function checkEndpointTemplate(site: TaskSite, value: unknown, pointer: string): void {
  const { ctx, scope } = site;
  if (typeof value === 'string') {
    if (isStrictExpression(value)) {
      checkTemplate(ctx, value, pointer, scope);
      return;
    }
    const unreachable = unreachableEndpoint(value);
    if (unreachable) ctx.error('SW307', pointer, unreachable);
    return;
  }
  const object = asObject(value);
  if (object && typeof object.uri === 'string') checkEndpointTemplate(site, object.uri, joinPointer(pointer, 'uri'));
}
