/**
 * The payload codec's keys: AES-256 keys given as base64, several at once for rotation — the
 * first encrypts, every one decrypts. A key is named in each payload by its id, a digest of the
 * key, so no key id needs configuring and none can be given to the wrong key.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface CodecKey {
  /** 16 hex characters of SHA-256 over the key: names the key without revealing it. */
  readonly id: string;
  readonly bytes: Uint8Array;
}

export interface CodecKeyProblem {
  readonly code: 'CODEC_KEY_INVALID';
  readonly message: string;
}

const KEY_BYTES = 32;

export function codecKey(bytes: Uint8Array): CodecKey {
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes };
}

/** Comma- or newline-separated base64 keys, newest first. */
export function parseCodecKeys(text: string): readonly CodecKey[] | CodecKeyProblem {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { code: 'CODEC_KEY_INVALID', message: 'no key given' };
  const keys: CodecKey[] = [];
  for (const [index, part] of parts.entries()) {
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(part) ? new Uint8Array(Buffer.from(part, 'base64')) : undefined;
    // Never quote the text: it is a key, or a typo of one.
    if (!bytes || bytes.byteLength !== KEY_BYTES) {
      return { code: 'CODEC_KEY_INVALID', message: `key ${index + 1} is not base64 of ${KEY_BYTES} bytes` };
    }
    keys.push(codecKey(bytes));
  }
  return keys;
}

export function generateCodecKey(): CodecKey {
  return codecKey(new Uint8Array(randomBytes(KEY_BYTES)));
}

export function encodeCodecKeys(keys: readonly CodecKey[]): string {
  return keys.map((key) => Buffer.from(key.bytes).toString('base64')).join('\n');
}
