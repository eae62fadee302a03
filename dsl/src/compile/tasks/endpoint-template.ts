/** A call's `endpoint`: the URI (a template string or a `${ }` expression); its authentication is compiled apart. */
import { isStrictExpression } from '../../document/expression-checker.ts';
import type { Template } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { CompileContext } from '../context.ts';
import { asObject } from '../../document/values.ts';

export function endpointTemplate(ctx: CompileContext, value: unknown): Template {
  const uri = typeof value === 'string' ? value : asObject(value)!.uri;
  return isStrictExpression(uri) ? template(ctx, uri) : { kind: 'literal', value: uri };
}
