/**
 * Sealing the caller's task token. The token is a bearer credential for the caller's activity, so
 * only an AES-256-GCM sealed form enters workflow history; the callback activities open it
 * outside the sandbox. The execution id is bound as associated data, so a sealed token copied
 * into another execution's arguments does not open.
 *
 * Sealing is deterministic (the IV is an HMAC of execution id and token under a key derived from
 * the sealing key): the same token for the same execution seals to the same string, so a repeated
 * executeAsync is recognised as the same caller, while nothing about the token leaks.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const TOKEN_KEY_BYTES = 32;
/** Longest prefix of a token's base64 that may appear in logs, status or errors. */
export const TOKEN_HINT_CHARS = 20;

export type TokenKeyProblem = { readonly code: 'TOKEN_KEY_INVALID'; readonly message: string };

/** Decodes `BATON_TOKEN_KEY` (base64 of 32 bytes). */
export function parseTokenKey(base64: string): Uint8Array | TokenKeyProblem {
  const trimmed = base64.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== TOKEN_KEY_BYTES) {
    return {
      code: 'TOKEN_KEY_INVALID',
      message: `the token key must be base64 of exactly ${TOKEN_KEY_BYTES} bytes (got ${bytes.length} bytes); generate one with \`openssl rand -base64 32\``,
    };
  }
  return new Uint8Array(bytes);
}

export function generateTokenKey(): Uint8Array {
  return new Uint8Array(randomBytes(TOKEN_KEY_BYTES));
}

export function encodeTokenKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64');
}

/** A log-safe hint of a token: the first characters of its base64. */
export function tokenHint(token: Uint8Array): string {
  return Buffer.from(token).toString('base64').slice(0, TOKEN_HINT_CHARS);
}

export class SealedTokenError extends Error {
  override readonly name = 'SealedTokenError';
  readonly code = 'SEALED_TOKEN_UNREADABLE';
}

export interface TokenSealer {
  seal(token: Uint8Array, executionId: string): string;
  /** Throws SealedTokenError when the sealed form is malformed, tampered with, or from another key or execution. */
  open(sealed: string, executionId: string): Uint8Array;
}

export function createTokenSealer(key: Uint8Array): TokenSealer {
  if (key.length !== TOKEN_KEY_BYTES) throw new RangeError(`token key must be ${TOKEN_KEY_BYTES} bytes`);
  const keyBytes = Buffer.from(key);
  const ivKey = createHmac('sha256', keyBytes).update('baton sealed-token iv').digest();
  return {
    seal(token, executionId) {
      const iv = createHmac('sha256', ivKey).update(executionId, 'utf8').update('\0').update(token).digest().subarray(0, IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
      cipher.setAAD(Buffer.from(executionId, 'utf8'));
      const body = Buffer.concat([cipher.update(token), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${Buffer.concat([iv, body]).toString('base64url')}`;
    },
    open(sealed, executionId) {
      const [version, payload, ...rest] = sealed.split('.');
      if (version !== VERSION || payload === undefined || rest.length > 0) {
        throw new SealedTokenError(`sealed token has an unknown format (expected "${VERSION}.<base64url>")`);
      }
      const bytes = Buffer.from(payload, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedTokenError('sealed token is truncated');
      const iv = bytes.subarray(0, IV_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, iv);
        decipher.setAAD(Buffer.from(executionId, 'utf8'));
        decipher.setAuthTag(tag);
        return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
      } catch {
        throw new SealedTokenError('sealed token does not open with this runner\'s key (wrong BATON_TOKEN_KEY, or tampered)');
      }
    },
  };
}
