/**
 * The AES-256-GCM payload codec on its own: what it writes, key rotation (an old key still
 * decrypts), payloads from before the codec passing through, and tampering detected. Then the
 * recorded histories (plain payloads, recorded before the codec) replaying on a worker with it.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, encodeCodecKeys, generateCodecKey, KEY_ID_METADATA, parseCodecKeys, runnerDataConverter } from '../../src/codec/index.ts';
import { interpreterBundle } from '../../src/temporal/worker.ts';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const value = { user: 'grace', token: 'tok-very-secret' };

describe('AesGcmPayloadCodec', () => {
  test('encrypts the whole payload, names the key, and decrypts it back', async () => {
    const key = generateCodecKey();
    const codec = new AesGcmPayloadCodec([key]);
    const plain = defaultPayloadConverter.toPayload(value);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe(key.id);
    expect(Object.keys(sealed!.metadata!)).not.toContain('json'); // the original metadata is inside
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('tok-very-secret');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(value);
    expect(text(opened!.metadata!.encoding)).toBe('json/plain');
  });

  test('rotation: the newest key encrypts, an old one still decrypts; without it decoding fails with a coded error', async () => {
    const old = generateCodecKey();
    const current = generateCodecKey();
    const [sealedBefore] = await new AesGcmPayloadCodec([old]).encode([defaultPayloadConverter.toPayload(value)]);
    const rotated = new AesGcmPayloadCodec([current, old]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealedBefore!]))[0]!)).toEqual(value);
    const [sealedAfter] = await rotated.encode([defaultPayloadConverter.toPayload(value)]);
    expect(text(sealedAfter!.metadata![KEY_ID_METADATA])).toBe(current.id);
    const error = await new AesGcmPayloadCodec([current]).decode([sealedBefore!]).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ type: 'CODEC_KEY_UNKNOWN' });
    expect(String((error as Error).message)).toContain(old.id);
  });

  test('payloads written before the codec pass through undecoded', async () => {
    const plain = defaultPayloadConverter.toPayload(value);
    const [passed] = await new AesGcmPayloadCodec([generateCodecKey()]).decode([plain]);
    expect(passed).toBe(plain);
  });

  test('a tampered payload is refused, not decoded into something else', async () => {
    const codec = new AesGcmPayloadCodec([generateCodecKey()]);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    const data = new Uint8Array(sealed!.data!);
    data[20]! ^= 1;
    const tampered: Payload = { ...sealed!, data };
    await expect(codec.decode([tampered])).rejects.toThrow();
  });

  test('keys are configured as base64, newest first; bad ones are reported without being quoted', () => {
    const keys = [generateCodecKey(), generateCodecKey()];
    const parsed = parseCodecKeys(encodeCodecKeys(keys).replace('\n', ','));
    expect(Array.isArray(parsed) && parsed.map((key) => key.id)).toEqual(keys.map((key) => key.id));
    const bad = parseCodecKeys('c2hvcnQ=');
    expect(bad).toEqual({ code: 'CODEC_KEY_INVALID', message: 'key 1 is not base64 of 32 bytes' });
  });
});

test('the recorded histories (plain payloads) still replay on a worker that has the codec', async () => {
  const dir = join(import.meta.dir, '../../../specs/histories');
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  const histories = files.map((file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
  const failed: string[] = [];
  let replayed = 0;
  const options = { workflowBundle: await interpreterBundle(), replayName: 'baton-codec-replay', dataConverter: runnerDataConverter([generateCodecKey()])! };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    replayed++;
    if (result.error) failed.push(`${result.workflowId}: ${String(result.error)}`);
  }
  expect(failed).toEqual([]);
  expect(replayed).toBe(files.length);
}, 120_000);
