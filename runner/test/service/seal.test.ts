/** Token sealing: pure logic, so a unit test. */
import { expect, test } from 'bun:test';
import { createTokenSealer, encodeTokenKey, generateTokenKey, parseTokenKey, SealedTokenError, tokenHint } from '../../src/token/seal.ts';

const token = new TextEncoder().encode('a task token of a parked caller activity');

test('a sealed token opens only with the same key and execution id', () => {
  const key = generateTokenKey();
  const sealer = createTokenSealer(key);
  const sealed = sealer.seal(token, 'exec-1');
  expect(sealed.startsWith('v1.')).toBe(true);
  expect(sealed).not.toContain(Buffer.from(token).toString('base64').slice(0, 12));
  expect(sealer.open(sealed, 'exec-1')).toEqual(token);
  expect(() => sealer.open(sealed, 'exec-2')).toThrow(SealedTokenError);
  expect(() => createTokenSealer(generateTokenKey()).open(sealed, 'exec-1')).toThrow(SealedTokenError);
  expect(createTokenSealer(parseTokenKey(encodeTokenKey(key)) as Uint8Array).open(sealed, 'exec-1')).toEqual(token);
});

test('sealing is deterministic per token and execution, and different otherwise', () => {
  const sealer = createTokenSealer(generateTokenKey());
  expect(sealer.seal(token, 'exec-1')).toBe(sealer.seal(token, 'exec-1'));
  expect(sealer.seal(token, 'exec-1')).not.toBe(sealer.seal(token, 'exec-2'));
  expect(sealer.seal(token, 'exec-1')).not.toBe(sealer.seal(new Uint8Array([...token, 0]), 'exec-1'));
});

test('malformed or tampered sealed tokens are a SealedTokenError, never a crash', () => {
  const sealer = createTokenSealer(generateTokenKey());
  const sealed = sealer.seal(token, 'e');
  const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
  for (const bad of ['', 'v1.', 'v2.abc', 'v1.AAAA', 'v1.a.b', flipped, 'v1.' + 'A'.repeat(100_000), '\u0000\uffff']) {
    expect(() => sealer.open(bad, 'e')).toThrow(SealedTokenError);
  }
});

test('token keys must be base64 of 32 bytes; hints never exceed 20 characters', () => {
  expect(parseTokenKey('short')).toMatchObject({ code: 'TOKEN_KEY_INVALID' });
  expect(parseTokenKey('not base64 at all!!')).toMatchObject({ code: 'TOKEN_KEY_INVALID' });
  expect(parseTokenKey(Buffer.alloc(32, 7).toString('base64'))).toBeInstanceOf(Uint8Array);
  expect(tokenHint(new Uint8Array(500))).toHaveLength(20);
});
