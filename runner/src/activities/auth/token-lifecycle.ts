/**
 * What the runner does with a token besides sending it: asking the authority whether a cached
 * token is still active before reusing it (RFC 7662 introspection), and revoking the tokens it
 * obtained when it drops them while they may still be valid (RFC 7009 revocation). Both requests
 * authenticate the client the way the token request does. Neither ever fails a call: an
 * introspection without a definite answer leaves the token in use (a resource's `401` still renews
 * it), and a revocation is best effort.
 */
import type { EgressClient } from '../../egress/index.ts';
import { authorityRequest } from './authority-request.ts';
import { clientCredentials } from './client-authentication.ts';
import type { PropertyReader } from './properties.ts';
import type { TokenSet } from './token-endpoint.ts';

/** A revocation at shutdown waits this long at most: stopping must not hang on an authority. */
const REVOCATION_TIMEOUT_MS = 5_000;

export interface TokenAuthority {
  /** Whether the authority holds the token active; undefined when it gave no definite answer. */
  readonly isActive?: (token: TokenSet) => Promise<boolean | undefined>;
  /** Revokes what of the set may still be valid. Never throws. */
  readonly revoke?: (token: TokenSet) => Promise<void>;
}

export interface TokenLifecycleEndpoints {
  readonly introspection?: URL;
  readonly revocation?: URL;
}

export function tokenAuthority(
  client: EgressClient,
  credentials: PropertyReader,
  endpoints: TokenLifecycleEndpoints,
  options: { now: () => number; instance: string; signal?: AbortSignal },
): TokenAuthority {
  const post = (endpoint: URL, parameters: Record<string, string>, what: string, signal?: AbortSignal) => {
    const proof = clientCredentials(credentials, endpoint.href, options.now());
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    if (proof.header) headers.set('authorization', proof.header);
    const body = new URLSearchParams({ ...parameters, ...proof.parameters }).toString();
    return authorityRequest(client, endpoint, { method: 'POST', headers, body }, what, options.instance, signal);
  };
  const { introspection, revocation } = endpoints;
  return {
    ...(introspection
      ? {
          async isActive(token) {
            try {
              const { status, json } = await post(introspection, { token: token.accessToken, token_type_hint: 'access_token' }, 'introspection endpoint', options.signal);
              const active = typeof json === 'object' && json !== null ? (json as { active?: unknown }).active : undefined;
              return status === 200 && typeof active === 'boolean' ? active : undefined;
            } catch {
              return undefined;
            }
          },
        }
      : {}),
    ...(revocation
      ? {
          async revoke(token) {
            const signal = AbortSignal.timeout(REVOCATION_TIMEOUT_MS);
            const expired = token.expiresAt !== undefined && token.expiresAt <= options.now();
            const tokens: [string, string][] = [
              ...(expired ? [] : [[token.accessToken, 'access_token'] as [string, string]]),
              ...(token.refreshToken ? [[token.refreshToken, 'refresh_token'] as [string, string]] : []),
            ];
            for (const [value, hint] of tokens) {
              await post(revocation, { token: value, token_type_hint: hint }, 'revocation endpoint', signal).catch(() => undefined);
            }
          },
        }
      : {}),
  };
}
