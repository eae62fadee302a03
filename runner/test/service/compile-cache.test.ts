/** The compile cache: pure logic, so a unit test with a counting compiler. */
import { expect, test } from 'bun:test';
import { cachedCompiler } from '../../src/service/compile-cache.ts';
import type { CompileResult } from '../../src/service/requests.ts';

function counting() {
  const calls: string[] = [];
  const compile = (yaml: string): CompileResult => {
    calls.push(yaml);
    return { ok: false, diagnostics: [{ code: 'X', message: yaml, line: 1, column: 1, pointer: '', taskPath: '' }] };
  };
  return { calls, compile };
}

test('the same document compiles once; another file name or text compiles again', () => {
  const { calls, compile } = counting();
  const cached = cachedCompiler(compile);
  const first = cached('a: 1', { file: 'f' });
  expect(cached('a: 1', { file: 'f' })).toBe(first);
  cached('a: 1', { file: 'g' });
  cached('a: 2', { file: 'f' });
  expect(calls).toEqual(['a: 1', 'a: 1', 'a: 2']);
});

test('least recently used entries leave first, by count and by size', () => {
  const { calls, compile } = counting();
  const cached = cachedCompiler(compile, { maxEntries: 2, maxBytes: 1_000 });
  cached('one', { file: 'f' });
  cached('two', { file: 'f' });
  cached('one', { file: 'f' });
  cached('three', { file: 'f' });
  cached('one', { file: 'f' });
  cached('two', { file: 'f' });
  expect(calls).toEqual(['one', 'two', 'three', 'two']);

  const bySize = counting();
  const small = cachedCompiler(bySize.compile, { maxEntries: 100, maxBytes: 10 });
  small('x'.repeat(20), { file: 'f' });
  small('x'.repeat(20), { file: 'f' });
  expect(bySize.calls).toHaveLength(2);
});
