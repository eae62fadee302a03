/**
 * The spec's `externalResource` (`{ name?, endpoint }`) a call reads its description from → the
 * endpoint's URI, and apart from it the `endpoint.authentication` the runner reads it with.
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import type { AuthenticationPolicy, Template } from '../../plan.ts';
import { endpointAuthentication } from '../authentication.ts';
import type { CompileContext } from '../context.ts';
import { template } from '../expressions.ts';
import { asObject } from '../../document/values.ts';

export function externalResource(ctx: CompileContext, value: unknown): Template {
  const endpoint = asObject(value)!.endpoint;
  const uri = asObject(endpoint)?.uri ?? endpoint;
  return isStrictExpression(uri) ? template(ctx, uri) : { kind: 'literal', value: uri };
}

export function externalResourceAuthentication(ctx: CompileContext, value: unknown): AuthenticationPolicy | undefined {
  return endpointAuthentication(ctx, asObject(asObject(asObject(value)?.endpoint)?.authentication));
}
