/** The spec's `externalResource` (`{ name?, endpoint }`) a call reads its description from → the endpoint's URI. */
import { isStrictExpression } from '../../document/expression-checker.ts';
import type { Template } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { template } from '../expressions.ts';
import { asObject } from '../../document/values.ts';

export function externalResource(ctx: CompileContext, value: unknown): Template {
  const endpoint = asObject(value)!.endpoint;
  const uri = asObject(endpoint)?.uri ?? endpoint;
  return isStrictExpression(uri) ? template(ctx, uri) : { kind: 'literal', value: uri };
}
