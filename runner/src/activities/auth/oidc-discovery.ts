/**
 * OpenID Connect discovery (OpenID Connect Discovery 1.0 §4): the provider's metadata from
 * `<authority>/.well-known/openid-configuration`, checked (its `issuer` must be the authority, its
 * `token_endpoint` an absolute URL) and cached per runner for ten minutes. Failures are not cached.
 * Its `introspection_endpoint` and `revocation_endpoint` (RFC 8414), when absolute URLs, are kept.
 */
import type { EgressClient } from '../../egress/index.ts';
import { authorityRequest } from './authority-request.ts';
import { authenticationFailure } from './errors.ts';

const DISCOVERY_TTL_MS = 10 * 60_000;
const WELL_KNOWN = '/.well-known/openid-configuration';

export interface ProviderMetadata {
  readonly issuer: string;
  readonly tokenEndpoint: URL;
  readonly introspectionEndpoint?: URL;
  readonly revocationEndpoint?: URL;
}

export interface Discovery {
  discover(authority: string, instance: string, signal?: AbortSignal): Promise<ProviderMetadata>;
}

export function createDiscovery(client: EgressClient, now: () => number): Discovery {
  const cache = new Map<string, { readonly at: number; readonly metadata: Promise<ProviderMetadata> }>();
  return {
    discover(authority, instance, signal) {
      const cached = cache.get(authority);
      if (cached && now() - cached.at < DISCOVERY_TTL_MS) return cached.metadata;
      const metadata = fetchMetadata(client, authority, instance, signal);
      cache.set(authority, { at: now(), metadata });
      metadata.catch(() => cache.delete(authority));
      return metadata;
    },
  };
}

async function fetchMetadata(client: EgressClient, authority: string, instance: string, signal?: AbortSignal): Promise<ProviderMetadata> {
  const url = new URL(`${authority.replace(/\/+$/, '')}${WELL_KNOWN}`);
  const { status, json } = await authorityRequest(client, url, { method: 'GET', headers: new Headers() }, 'OpenID Connect discovery', instance, signal);
  const bad = (detail: string) =>
    authenticationFailure({ kind: 'communication', status: status >= 400 ? status : 502, title: 'Invalid discovery document', detail: `${url}: ${detail}`, retryable: status >= 500 }, instance);
  if (status !== 200) throw bad(`answered ${status}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a JSON object');
  const { issuer, token_endpoint: tokenEndpoint, introspection_endpoint: introspection, revocation_endpoint: revocation } = json as Record<string, unknown>;
  if (typeof issuer !== 'string' || issuer.replace(/\/+$/, '') !== authority.replace(/\/+$/, '')) {
    throw bad(`its issuer ${JSON.stringify(issuer)} is not the authority ${authority}`);
  }
  if (typeof tokenEndpoint !== 'string' || !URL.canParse(tokenEndpoint)) throw bad('it has no absolute token_endpoint');
  const optional = (value: unknown) => (typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined);
  const introspectionEndpoint = optional(introspection);
  const revocationEndpoint = optional(revocation);
  return {
    issuer,
    tokenEndpoint: new URL(tokenEndpoint),
    ...(introspectionEndpoint ? { introspectionEndpoint } : {}),
    ...(revocationEndpoint ? { revocationEndpoint } : {}),
  };
}
