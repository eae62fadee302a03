/**
 * Authentication policies → plan policies. The secret-based form (`basic: { use: mySecret }`)
 * becomes the expression `$secrets["mySecret"]`, the secret holding the scheme's properties as an
 * object; the activity evaluates the whole policy, so none of it reaches history.
 */
import { policyScheme } from '../document/authentication.ts';
import type { AuthenticationPolicy } from '../plan.ts';
import { asObject, asString } from '../document/values.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';

/** Compiles `use.authentications` once; endpoints then refer to the result by name. */
export function reusableAuthentications(ctx: CompileContext, value: unknown): ReadonlyMap<string, AuthenticationPolicy> {
  const policies = new Map<string, AuthenticationPolicy>();
  for (const [name, policy] of Object.entries(asObject(value) ?? {})) {
    const compiled = inlinePolicy(ctx, policy);
    if (compiled) policies.set(name, { name, ...compiled });
  }
  return policies;
}

/** An endpoint's `authentication`: a reference to a reusable policy or an inline one. */
export function endpointAuthentication(ctx: CompileContext, value: unknown): AuthenticationPolicy | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const reference = asString(object.use);
  if (reference !== undefined && Object.keys(object).length === 1) return ctx.authentications.get(reference);
  return inlinePolicy(ctx, object);
}

function inlinePolicy(ctx: CompileContext, value: unknown): AuthenticationPolicy | undefined {
  const object = asObject(value);
  const scheme = object && policyScheme(object);
  const config = scheme ? asObject(object[scheme]) : undefined;
  if (!scheme || !config) return undefined;
  const secret = asString(config.use);
  if (secret !== undefined && Object.keys(config).length === 1) {
    return { scheme, properties: { kind: 'expr', expr: { jq: `$secrets[${JSON.stringify(secret)}]` } } };
  }
  return { scheme, properties: template(ctx, config) };
}
