/**
 * A Temporal PayloadCodec that encrypts every payload with AES-256-GCM: the whole payload
 * (metadata and data, serialised as the Temporal Payload message) becomes the data of a new
 * payload whose metadata says only `binary/encrypted` and the key id. Payloads without that
 * encoding pass through as they are, so histories recorded before the codec still replay.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKey } from './keys.ts';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** Names the cipher, so another one can be introduced without guessing. */
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const text = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, CodecKey>;

  /** `keys[0]` encrypts; every key decrypts. */
  constructor(private readonly keys: readonly [CodecKey, ...CodecKey[]]) {
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const key = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(key.id), [CIPHER_METADATA]: utf8.encode(CIPHER) },
      data: new Uint8Array(sealed),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = keyIdBytes ? text.decode(keyIdBytes) : '';
    const key = this.byId.get(keyId);
    if (!key) {
      // Non-retryable would not help: a worker given the key later must be able to carry on.
      throw ApplicationFailure.create({
        type: 'CODEC_KEY_UNKNOWN',
        message: `a payload is encrypted with key ${keyId || '(none named)'}, which this runner does not hold; add it to BATON_CODEC_KEYS`,
      });
    }
    const data = payload.data ?? new Uint8Array();
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.byteLength - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.byteLength - TAG_BYTES)), decipher.final()]);
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && text.decode(encoding) === ENCRYPTED_ENCODING;
}
