/**
 * Tokens cached per runner, keyed by a hash of the evaluated policy (so a changed secret is a new
 * entry), reused until shortly before they expire: the last fifth of their lifetime, at most 30 s.
 * Concurrent calls needing the same token share one request. A token without `expires_in` is
 * reused until a resource refuses it. When the authority offers introspection, a cached token is
 * introspected before each reuse and replaced when it is no longer active (revoked, say). Bounded:
 * the oldest entry goes first, and is revoked when the authority offers revocation; `close`
 * revokes every token still held, as the runner stops.
 */
import { createHash } from 'node:crypto';
import type { TokenSet } from './token-endpoint.ts';
import type { TokenAuthority } from './token-lifecycle.ts';

const MAX_REFRESH_MARGIN_MS = 30_000;
const MAX_ENTRIES = 1_000;

export interface TokenCache {
  /**
   * A fresh cached token the authority (when asked) holds active, or the result of `obtain` given
   * the stale entry (for its refresh token).
   */
  get(key: string, obtain: (stale: TokenSet | undefined) => Promise<TokenSet>, authority?: TokenAuthority): Promise<TokenSet>;
  /** Forgets a token a resource refused; the stale set is kept for its refresh token. */
  invalidate(key: string, token: TokenSet): void;
  /** Revokes every token held where the authority offers revocation, and forgets them all. */
  close(): Promise<void>;
}

interface Entry {
  readonly token: TokenSet;
  refused: boolean;
  readonly authority: TokenAuthority;
}

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function isFresh(token: TokenSet, nowMs: number): boolean {
  if (token.expiresAt === undefined || token.lifetimeMs === undefined) return true;
  const margin = Math.min(MAX_REFRESH_MARGIN_MS, token.lifetimeMs / 5);
  return nowMs < token.expiresAt - margin;
}

export function createTokenCache(now: () => number): TokenCache {
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<TokenSet>>();
  const obtainShared = (key: string, obtain: (stale: TokenSet | undefined) => Promise<TokenSet>, authority: TokenAuthority): Promise<TokenSet> => {
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const request = obtain(entries.get(key)?.token).then((token) => {
      entries.delete(key);
      if (entries.size >= MAX_ENTRIES) {
        const [oldest, evicted] = entries.entries().next().value!;
        entries.delete(oldest);
        if (!evicted.refused) void evicted.authority.revoke?.(evicted.token);
      }
      entries.set(key, { token, refused: false, authority });
      return token;
    });
    pending.set(key, request);
    const settle = () => pending.delete(key);
    request.then(settle, settle);
    return request;
  };
  return {
    async get(key, obtain, authority = {}) {
      const entry = entries.get(key);
      if (entry && !entry.refused && isFresh(entry.token, now())) {
        // Only a definite "inactive" drops the token: an authority that cannot answer leaves it in use.
        if (!authority.isActive || (await authority.isActive(entry.token)) !== false) return entry.token;
        entry.refused = true;
        const replaced = entries.get(key);
        if (replaced && replaced !== entry && !replaced.refused && isFresh(replaced.token, now())) return replaced.token;
      }
      return obtainShared(key, obtain, authority);
    },
    invalidate(key, token) {
      const entry = entries.get(key);
      if (entry && entry.token.accessToken === token.accessToken) entry.refused = true;
    },
    async close() {
      const held = [...entries.values()].filter((entry) => !entry.refused);
      entries.clear();
      await Promise.allSettled(held.map((entry) => entry.authority.revoke?.(entry.token)));
    },
  };
}
