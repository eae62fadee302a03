/**
 * `oauth2` and `oidc`: a bearer token from the authorization server, obtained in the activity,
 * cached per runner and renewed before it expires — with the refresh token when the server gave
 * one, else by running the grant again. `oauth2` finds the token endpoint at
 * `authority + endpoints.token` (default `/oauth2/token`), `oidc` by discovery.
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
  if (scheme === 'oidc') {
    const metadata = await deps.discovery.discover(authority, instance, signal);
    if (issuers.length > 0 && !issuers.includes(metadata.issuer)) {
      throw authenticationFailure(
        { kind: 'authentication', status: 401, title: 'Untrusted issuer', detail: `the discovered issuer ${metadata.issuer} is not among the policy's issuers` },
        instance,
      );
    }
    endpoint = metadata.tokenEndpoint;
  } else {
    endpoint = tokenEndpoint(authority, read.object('endpoints')?.optionalString('token'), instance);
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
    const token = await deps.cache.get(key, obtain);
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

/** `endpoints.token` taken relative to the authority (its path kept), or as is when absolute. */
function tokenEndpoint(authority: string, path: string | undefined, instance: string): URL {
  const written = path ?? DEFAULT_TOKEN_PATH;
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
