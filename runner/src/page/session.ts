/**
 * Who may see the execution page: the same bearer token as gRPC. A browser cannot send a header
 * when it follows a link, so a person signs in once with the token and gets a session cookie:
 *
 * - the cookie holds an expiry and an HMAC of it keyed by a hash of the token, never the token, so
 *   any replica with the same token accepts it (nothing is stored), and changing the token ends
 *   every session;
 * - HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it, so nothing here
 *   can be triggered from elsewhere), Secure when the page is served over https, Path=/;
 * - it lasts SESSION_SECONDS; signing out clears it.
 *
 * Scripts and tools may send `authorization: Bearer <token>` instead, as for gRPC.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { bearerMatches } from '../http/index.ts';

export const SESSION_COOKIE = 'baton_session';
export const SESSION_SECONDS = 12 * 60 * 60;

export interface PageAccess {
  /** Whether the runner has a token at all (without one, like gRPC, everything is open). */
  readonly required: boolean;
  allows(request: Request): boolean;
  /** Whether `given` is the runner's token (compared in constant time). */
  tokenMatches(given: string): boolean;
  /** A Set-Cookie value starting a session now. */
  sessionCookie(secure: boolean, nowMs?: number): string;
  /** A Set-Cookie value ending the session. */
  clearedCookie(secure: boolean): string;
}

export function pageAccess(token: string | undefined): PageAccess {
  if (token === undefined) {
    return {
      required: false,
      allows: () => true,
      tokenMatches: () => true,
      sessionCookie: () => '',
      clearedCookie: () => '',
    };
  }
  const bearer = Buffer.from(`Bearer ${token}`);
  const tokenDigest = createHash('sha256').update(token, 'utf8').digest();
  // A key of its own, so a cookie's HMAC says nothing usable about the token elsewhere.
  const key = createHmac('sha256', tokenDigest).update('baton execution page session v1').digest();
  const sign = (expiresAt: number) => createHmac('sha256', key).update(String(expiresAt)).digest('base64url');
  const attributes = (secure: boolean) => `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

  const validSession = (value: string, nowMs: number): boolean => {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!match) return false;
    const expiresAt = Number(match[1]);
    if (expiresAt * 1000 <= nowMs) return false;
    const given = Buffer.from(match[2]!);
    const expected = Buffer.from(sign(expiresAt));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return {
    required: true,
    allows: (request) => {
      if (bearerMatches(request.headers.get('authorization'), bearer)) return true;
      const session = cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
      return session !== undefined && validSession(session, Date.now());
    },
    tokenMatches: (given) => {
      const digest = createHash('sha256').update(given, 'utf8').digest();
      return timingSafeEqual(digest, tokenDigest);
    },
    sessionCookie: (secure, nowMs = Date.now()) => {
      const expiresAt = Math.floor(nowMs / 1000) + SESSION_SECONDS;
      return `${SESSION_COOKIE}=${expiresAt}.${sign(expiresAt)}; Max-Age=${SESSION_SECONDS}; ${attributes(secure)}`;
    },
    clearedCookie: (secure) => `${SESSION_COOKIE}=; Max-Age=0; ${attributes(secure)}`,
  };
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
