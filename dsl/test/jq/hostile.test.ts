import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JqBudgetError, JqRuntimeError, JqSyntaxError, compileJq } from '../../src/jq/index.ts';
import { ProgramGenerator, Random, randomJson, render } from './fuzz-grammar.ts';

const isJqError = (e: unknown): boolean => e instanceof JqSyntaxError || e instanceof JqRuntimeError || e instanceof JqBudgetError;

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    if (!isJqError(e)) throw e;
    return e;
  }
}

describe('bad input gets a coded error, never a crash', () => {
  test('malformed and hostile programs', () => {
    const sources = ['', ' ', '(', ')', '.[', '{', '"\\(', '"\\q"', '"\\u12"', '.a |', '| .a', 'if . then 1', 'reduce . as $x', '$', '@', '. as [$a | $a',
      'def f: ;', 'def : 1; 2', '1 +', '[1,]', '{a:}', '{(1):2}', 'break $x', '.. ..', '1 2', 'import "a" as a; .', '#', '"\u0000"', '\u2028', '😀',
      '('.repeat(100_000) + ')'.repeat(100_000), '.a'.repeat(200_000), '[' .repeat(50_000)];
    for (const s of sources) {
      const r = outcome(() => compileJq(s).run(null));
      if (r instanceof Error) expect(['JQ_SYNTAX', 'JQ_RUNTIME', 'JQ_BUDGET']).toContain((r as JqSyntaxError).code);
    }
    expect(() => compileJq('(1 +')).toThrow(JqSyntaxError);
    expect(() => compileJq(42 as unknown as string)).toThrow(JqSyntaxError);
  });

  test('random byte strings never crash the parser', () => {
    const r = new Random(99);
    const alphabet = '.[]{}()|,:;$@"\\?/+-*%=<>!abcdefilnrstu0123456789 \n#';
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: r.int(20) }, () => alphabet[r.int(alphabet.length)]).join('');
      const e = outcome(() => compileJq(s));
      if (e instanceof Error) expect(e).toBeInstanceOf(JqSyntaxError);
    }
  });

  test('hostile inputs: deep, cyclic, non-JSON, huge', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const r1 = outcome(() => compileJq('[..] | length').run(deep));
    expect(r1).toBeInstanceOf(JqBudgetError);

    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => compileJq('.a').run(cyclic)).toThrow('cyclic');
    expect(() => compileJq('$x').run(null, { x: cyclic })).toThrow(JqRuntimeError);

    const odd = { when: new Date(0), gone: undefined, f: () => 1, list: [undefined, 1n, Symbol('s')], inf: Infinity };
    expect(compileJq('.').run(odd)).toEqual([{ when: '1970-01-01T00:00:00.000Z', list: [null, 1, null], inf: 1.7976931348623157e308 }]);
    expect(compileJq('.gone, .inf').run(odd)).toEqual([null, 1.7976931348623157e308]);

    const big = 'x'.repeat(1_000_000);
    expect(compileJq('length').run(big)).toEqual([1_000_000]);
    expect(outcome(() => compileJq('[range(100)] | map(tostring) | join("") * 1000000').run(null))).toBeInstanceOf(JqBudgetError);
  });

  test('budget errors name the expression and where evaluation was', () => {
    try {
      compileJq('1,\n  [range(1e9)]').run(null);
      throw new Error('expected a budget error');
    } catch (e) {
      expect(e).toBeInstanceOf(JqBudgetError);
      const err = e as JqBudgetError;
      expect(err.limit).toBe('maxSteps');
      expect(err.line).toBe(2);
      expect(err.message).toContain('[range(1e9)]');
    }
    expect(() => compileJq('[range(100)]').run(null, {}, { budget: { maxSteps: 50 } })).toThrow(JqBudgetError);
    expect(compileJq('[range(100)] | length').run(null, {}, { budget: { maxSteps: 1000 } })).toEqual([100]);
  });

  test('random programs over random inputs only ever fail with jq errors', () => {
    const r = new Random(4242);
    const generator = new ProgramGenerator(r);
    for (let i = 0; i < 3000; i++) {
      const source = render(generator.expr(5, []));
      outcome(() => compileJq(source).run(randomJson(r), {}, { budget: { maxSteps: 100_000 } }));
    }
  });
});

describe('determinism', () => {
  test('the engine source uses nothing host- or time-dependent', () => {
    const root = join(import.meta.dir, '../../src/jq');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    const forbidden = /\b(Date|process|Buffer|crypto|performance|setTimeout|setInterval|queueMicrotask|fetch|require)\b|Math\.random|from 'node:|from "node:|jq-wasm/;
    for (const f of files) {
      const code = readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect({ file: f, match: forbidden.exec(code)?.[0] ?? null }).toEqual({ file: f, match: null });
    }
  });

  test('same program, same input, same outputs; now and env only from the host', () => {
    const p = compileJq('[now, $ENV.A, (now | todate)]', { host: ['now', '$ENV'] });
    expect(p.run(null, {}, { now: 1_700_000_000, env: { A: 'x' } })).toEqual([[1_700_000_000, 'x', '2023-11-14T22:13:20Z']]);
    expect(p.run(null, {}, { now: 1_700_000_000, env: { A: 'x' } })).toEqual(p.run(null, {}, { now: 1_700_000_000, env: { A: 'x' } }));
    expect(p.hostDependencies).toEqual(['now', '$ENV']);
  });
});
