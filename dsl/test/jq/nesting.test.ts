/**
 * How deeply a program may nest is fixed (nesting.ts), not whatever the thread's stack allows: a
 * document the service validates on its main thread must run the same in a workflow's worker
 * thread, whose stack is smaller.
 */
import { expect, test } from 'bun:test';
import { compileWorkflow } from '../../src/index.ts';
import { nestingOutcome } from './support/nesting-outcome.ts';

const NESTED = 'JqSyntaxError: expression is nested too deeply';
const list = (n: number) => `[${Array(n).fill('1').join(', ')}] | length`;
const arrays = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)} | flatten | length`;
const parens = (n: number) => `${'('.repeat(n)}1${')'.repeat(n)}`;
const alternatives = (n: number) => Array(n).fill('.x').join(' // ');
const objects = (n: number) => `${'{a:'.repeat(n)}1${'}'.repeat(n)} | [paths] | length`;

/** Each shape at its deepest accepted size, then one past it: the same answers in every thread. */
const PROGRAMS = [list(3_998), list(3_999), arrays(499), arrays(500), parens(499), parens(500), alternatives(999), alternatives(1_000), objects(998), objects(999)];
const EXPECTED = ['[3998]', NESTED, '[1]', NESTED, '[1]', NESTED, '[null]', NESTED, '[998]', NESTED];

function inWorker(programs: readonly string[]): Promise<string[]> {
  const worker = new Worker(new URL('./support/nesting-probe.ts', import.meta.url));
  return new Promise<string[]>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<string[]>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(programs);
  }).finally(() => worker.terminate());
}

test('nesting limits answer the same in the main thread and in a worker thread', async () => {
  expect(PROGRAMS.map(nestingOutcome)).toEqual(EXPECTED);
  expect(await inWorker(PROGRAMS)).toEqual(EXPECTED);
});

test('what used to depend on the stack: refused in both threads, not accepted by one', async () => {
  // Validation on the main thread accepted these; the worker thread overflowed on them.
  const programs = [list(30_000), arrays(2_000)];
  expect(programs.map(nestingOutcome)).toEqual([NESTED, NESTED]);
  expect(await inWorker(programs)).toEqual([NESTED, NESTED]);
});

test('validation refuses a list too long to run, with SW400 at the expression', () => {
  const result = compileWorkflow(
    `document: { dsl: '1.0.0', namespace: t, name: deep, version: '1.0.0' }\ndo:\n  - count:\n      set:\n        n: \${ ${list(30_000)} }\n`,
    { file: 'deep.yaml' },
  );
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.diagnostics.map((d) => [d.code, d.line, d.message.includes('nested too deeply')])).toEqual([['SW400', 5, true]]);
});
