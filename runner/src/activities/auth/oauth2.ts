/**
 * `oauth2` and `oidc`: a bearer token from the authorization server, obtained in the activity,
 * cached per runner and renewed before it expires — with the refresh token when the server gave
 * one, else by running the grant again. `oauth2` finds the token endpoint at
 * `authority + endpoints.token` (default `/oauth2/token`), `oidc` by discovery. Introspection and
 * revocation (token-lifecycle.ts) are used where the policy names `endpoints.introspection` and
 * `endpoints.revocation` (oauth2) or the discovery document offers them (oidc); the schema's
 * default paths are not assumed, since an authority without them would get a useless request.
 */
import type { EgressClient } from '../../egress/index.ts';
import type { Authorization } from './authorization.ts';
import { clientCredentials } from './client-authentication.ts';
import { authenticationFailure } from './errors.ts';
import type { Discovery } from './oidc-discovery.ts';
import type { PropertyReader } from './properties.ts';
import { cacheKey } from './token-cache.ts';
import type { TokenCache } from './token-cache.ts';
import { grantParameters, refreshParameters, requestToken } from './token-endpoint.ts';
import { tokenAuthority } from './token-lifecycle.ts';
import type { TokenLifecycleEndpoints } from './token-lifecycle.ts';
import type { TokenParameters, TokenSet } from './token-endpoint.ts';

const DEFAULT_TOKEN_PATH = '/oauth2/token';
const FORM = 'application/x-www-form-urlencoded';

export interface OAuth2Dependencies {
  readonly client: EgressClient;
  readonly cache: TokenCache;
  readonly discovery: Discovery;
  readonly now: () => number;
}

export async function oauth2Authorization(
  scheme: 'oauth2' | 'oidc',
  read: PropertyReader,
  properties: unknown,
  deps: OAuth2Dependencies,
  instance: string,
  signal?: AbortSignal,
): Promise<Authorization> {
  const authority = read.string('authority');
  const issuers = read.strings('issuers');
  const client = read.object('client');
  if (!client) throw authenticationFailure({ kind: 'configuration', status: 400, title: 'Invalid authentication policy', detail: `${scheme}: 'client' is required` }, instance);
  const parameters = grantParameters(read, instance);
  const encoding = read.object('request')?.optionalString('encoding') ?? FORM;
  let endpoint: URL;
  let lifecycle: TokenLifecycleEndpoints;
  if (scheme === 'oidc') {
    const metadata = await deps.discovery.discover(authority, instance, signal);
    if (issuers.length > 0 && !issuers.includes(metadata.issuer)) {
      throw authenticationFailure(
        { kind: 'authentication', status: 401, title: 'Untrusted issuer', detail: `the discovered issuer ${metadata.issuer} is not among the policy's issuers` },
        instance,
      );
    }
    endpoint = metadata.tokenEndpoint;
    lifecycle = {
      ...(metadata.introspectionEndpoint ? { introspection: metadata.introspectionEndpoint } : {}),
      ...(metadata.revocationEndpoint ? { revocation: metadata.revocationEndpoint } : {}),
    };
  } else {
    const endpoints = read.object('endpoints');
    endpoint = authorityEndpoint(authority, endpoints?.optionalString('token') ?? DEFAULT_TOKEN_PATH, instance);
    const introspection = endpoints?.optionalString('introspection');
    const revocation = endpoints?.optionalString('revocation');
    lifecycle = {
      ...(introspection !== undefined ? { introspection: authorityEndpoint(authority, introspection, instance) } : {}),
      ...(revocation !== undefined ? { revocation: authorityEndpoint(authority, revocation, instance) } : {}),
    };
  }
  const key = cacheKey({ scheme, endpoint: endpoint.href, properties });
  const request = (params: TokenParameters) =>
    requestToken(deps.client, endpoint, params, clientCredentials(client, endpoint.href, deps.now()), {
      encoding,
      issuers,
      nowMs: deps.now(),
      instance,
      ...(signal ? { signal } : {}),
    });
  const obtain = async (stale: TokenSet | undefined): Promise<TokenSet> => {
    if (stale?.refreshToken) {
      try {
        return await request(refreshParameters(stale.refreshToken, read));
      } catch {
        // A refused refresh token (rotated, revoked, expired) falls back to the grant itself.
      }
    }
    return request(parameters);
  };
  const fixedSecrets = policySecrets(read, client);
  const authorize = async (): Promise<Authorization> => {
    const token = await deps.cache.get(key, obtain, tokenAuthority(deps.client, client, lifecycle, { now: deps.now, instance, ...(signal ? { signal } : {}) }));
    return {
      scheme: 'Bearer',
      header: `Bearer ${token.accessToken}`,
      renew: () => {
        deps.cache.invalidate(key, token);
        return authorize();
      },
      secrets: [...fixedSecrets, token.accessToken, ...(token.refreshToken ? [token.refreshToken] : [])],
    };
  };
  return authorize();
}

/** An `endpoints` path taken relative to the authority (its path kept), or as is when absolute. */
function authorityEndpoint(authority: string, written: string, instance: string): URL {
  const joined = URL.canParse(written) ? written : `${authority.replace(/\/+$/, '')}/${written.replace(/^\/+/, '')}`;
  if (!URL.canParse(joined)) {
    throw authenticationFailure({ kind: 'configuration', status: 400, title: 'Invalid authentication policy', detail: 'oauth2: the authority is not an absolute URL' }, instance);
  }
  return new URL(joined);
}

/** The values of a policy that are credentials: never shown in what the activity returns. */
function policySecrets(read: PropertyReader, client: PropertyReader): string[] {
  const values = [
    client.optionalString('secret'),
    client.optionalString('assertion'),
    read.optionalString('password'),
    read.object('subject')?.optionalString('token'),
    read.object('actor')?.optionalString('token'),
  ];
  return values.filter((value): value is string => value !== undefined && value !== '');
}
