/**
 * Authentication policies: inline on an endpoint (`endpoint.authentication`) or reused by name
 * (`use.authentications` + `authentication: { use: name }`). A policy's fields may read `$secrets`
 * anywhere: the activity evaluates the whole policy, so none of it reaches history. OAuth2 and
 * OIDC policies must carry what the runner needs for the grant they name.
 */
import { policyScheme } from '../document/authentication.ts';
import { TOKEN_EXCHANGE_GRANT } from '../plan.ts';
import type { AuthenticationScheme } from '../plan.ts';
import { joinPointer } from '../parse/pointer.ts';
import { didYouMean } from '../document/suggest.ts';
import { asArray, asObject, asString } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';
import type { ValidationContext } from './context.ts';
import { atSite, checkTemplate, ROOT_SCOPE } from './expressions.ts';
import type { Scope } from './expressions.ts';

/** What the runner needs per grant beyond the client: fields that must be present. */
const GRANT_NEEDS: Readonly<Record<string, readonly string[]>> = {
  client_credentials: [],
  password: ['username', 'password'],
  refresh_token: ['subject'],
  [TOKEN_EXCHANGE_GRANT]: ['subject'],
};
const CLIENT_NEEDS: Readonly<Record<string, readonly string[]>> = {
  client_secret_basic: ['id', 'secret'],
  client_secret_post: ['id', 'secret'],
  client_secret_jwt: ['id', 'secret'],
  private_key_jwt: ['id', 'assertion'],
  none: ['id'],
};

/** The policy a call's endpoint uses: its scheme, and its name when it is a reusable one. */
export interface CheckedPolicy {
  readonly scheme: AuthenticationScheme;
  readonly name?: string;
}

/**
 * Checks `use.authentications` once, before the tasks that refer to them by name. Expressions in
 * a reused policy see the variables of the task that uses it, without its loop variables.
 */
export function checkReusableAuthentications(ctx: ValidationContext, value: unknown): void {
  const schemes = new Map<string, AuthenticationScheme>();
  ctx.allowingSecrets(() => {
    for (const [name, policy] of Object.entries(asObject(value) ?? {})) {
      const scheme = checkInlinePolicy(ctx, policy, joinPointer('/use/authentications', name), atSite(ROOT_SCOPE, 'task'));
      if (scheme) schemes.set(name, scheme);
    }
  });
  ctx.authentications = schemes;
}

/** An endpoint's `authentication`: a reference to a reusable policy or an inline one. */
export function checkEndpointAuthentication(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): CheckedPolicy | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const reference = asString(object.use);
  if (reference !== undefined && Object.keys(object).length === 1) {
    const scheme = ctx.authentications.get(reference);
    if (!scheme) {
      ctx.error('SW304', joinPointer(pointer, 'use'), `no authentication policy named '${reference}' in use.authentications`, {
        hint: didYouMean(reference, [...ctx.authentications.keys()]) ?? 'declare it under use.authentications',
      });
      return undefined;
    }
    return { scheme, name: reference };
  }
  // The policy may read $secrets: the activity evaluates it, so nothing of it enters history.
  const scheme = ctx.allowingSecrets(() => checkInlinePolicy(ctx, object, pointer, scope));
  return scheme ? { scheme } : undefined;
}

function checkInlinePolicy(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): AuthenticationScheme | undefined {
  const object = asObject(value);
  const scheme = object && policyScheme(object);
  const config = scheme ? asObject(object[scheme]) : undefined;
  if (!scheme || !config) return undefined;
  const at = joinPointer(pointer, scheme);
  const secret = asString(config.use);
  if (secret !== undefined && Object.keys(config).length === 1) {
    if (!ctx.components.secrets.includes(secret)) {
      ctx.error('SW304', joinPointer(at, 'use'), `secret '${secret}' is not declared in use.secrets`, {
        hint: didYouMean(secret, ctx.components.secrets) ?? 'list every secret the workflow reads under use.secrets',
      });
    }
    return scheme;
  }
  checkTemplate(ctx, config, at, scope);
  if (scheme === 'oauth2' || scheme === 'oidc') checkOAuth2(ctx, config, at);
  return scheme;
}

/** What the schema leaves open but the runner needs: an authority, a grant it runs, the fields that grant and client method use. */
function checkOAuth2(ctx: ValidationContext, config: JsonObject, pointer: string): void {
  if (config.authority === undefined) ctx.error('SW201', pointer, "an OAuth2 policy needs an 'authority': the URI of its authorization server");
  const grant = asString(config.grant);
  if (grant === undefined) {
    ctx.error('SW201', pointer, "an OAuth2 policy needs a 'grant'", { hint: `one of ${Object.keys(GRANT_NEEDS).join(', ')}` });
  } else if (grant === 'authorization_code') {
    ctx.error('SW501', joinPointer(pointer, 'grant'), 'the authorization_code grant needs a user at a browser; a workflow cannot complete it', {
      hint: 'use client_credentials, or obtain a refresh token once and use the refresh_token grant with it as the subject',
    });
    return;
  } else {
    requireFields(ctx, config, GRANT_NEEDS[grant] ?? [], pointer, `the ${grant} grant`);
  }
  const client = asObject(config.client);
  if (!client) {
    ctx.error('SW201', pointer, "an OAuth2 policy needs a 'client' (at least its id)");
    return;
  }
  const method = asString(client.authentication) ?? 'client_secret_post';
  requireFields(ctx, client, CLIENT_NEEDS[method] ?? [], joinPointer(pointer, 'client'), `client authentication '${method}'`);
  for (const key of ['scopes', 'audiences', 'issuers'] as const) {
    const list = asArray(config[key]);
    if (list && list.some((item) => typeof item === 'string' && /\s/.test(item) && !item.includes('${'))) {
      ctx.error('SW307', joinPointer(pointer, key), `${key} are sent space-separated, so one cannot contain a space`);
    }
  }
}

function requireFields(ctx: ValidationContext, object: JsonObject, fields: readonly string[], pointer: string, what: string): void {
  for (const field of fields) {
    if (object[field] === undefined) ctx.error('SW201', pointer, `${what} needs '${field}'`);
  }
}

