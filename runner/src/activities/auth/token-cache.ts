/**
 * Tokens cached per runner, keyed by a hash of the evaluated policy (so a changed secret is a new
 * entry), reused until shortly before they expire: the last fifth of their lifetime, at most 30 s.
 * Concurrent calls needing the same token share one request. A token without `expires_in` is
 * reused until a resource refuses it. Bounded: the oldest entry goes first.
 */
import { createHash } from 'node:crypto';
import type { TokenSet } from './token-endpoint.ts';

const MAX_REFRESH_MARGIN_MS = 30_000;
const MAX_ENTRIES = 1_000;

export interface TokenCache {
  /** A fresh cached token, or the result of `obtain` given the stale entry (for its refresh token). */
  get(key: string, obtain: (stale: TokenSet | undefined) => Promise<TokenSet>): Promise<TokenSet>;
  /** Forgets a token a resource refused; the stale set is kept for its refresh token. */
  invalidate(key: string, token: TokenSet): void;
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
  const entries = new Map<string, { token: TokenSet; refused: boolean }>();
  const pending = new Map<string, Promise<TokenSet>>();
  return {
    get(key, obtain) {
      const entry = entries.get(key);
      if (entry && !entry.refused && isFresh(entry.token, now())) return Promise.resolve(entry.token);
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const request = obtain(entry?.token).then(
        (token) => {
          entries.delete(key);
          if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
          entries.set(key, { token, refused: false });
          return token;
        },
      );
      pending.set(key, request);
      const settle = () => pending.delete(key);
      request.then(settle, settle);
      return request;
    },
    invalidate(key, token) {
      const entry = entries.get(key);
      if (entry && entry.token.accessToken === token.accessToken) entry.refused = true;
    },
  };
}
