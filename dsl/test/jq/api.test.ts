import { describe, expect, test } from 'bun:test';
import { HOST_CAPABILITIES, JqBudgetError, JqCapabilityError, JqRuntimeError, JqSyntaxError, compileJq } from '../../src/jq/index.ts';

const run = (source: string, input: unknown = null, variables?: Record<string, unknown>) => compileJq(source, { host: HOST_CAPABILITIES }).run(input, variables);

describe('budget stops are never syntax errors', () => {
  test.each([['"ab" * 100000000'], ['{("ab" * 100000000): 1}'], ['[("ab" * 100000000)] | length']])('%s compiles, then stops on its budget', (source) => {
    const program = compileJq(source);
    expect(() => program.run(null)).toThrow(JqBudgetError);
  });

  test('error classes are named after themselves', () => {
    for (const [source, name] of [['halt_error', 'JqHaltError'], ['error("x")', 'JqRuntimeError'], ['"ab" * 100000000', 'JqBudgetError']] as const) {
      let thrown: unknown;
      try {
        compileJq(source, { host: HOST_CAPABILITIES }).run('stop');
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).name).toBe(name);
      expect((thrown as Error).constructor.name).toBe(name);
    }
    let syntax: unknown;
    try {
      compileJq('.[');
    } catch (error) {
      syntax = error;
    }
    expect((syntax as Error).name).toBe('JqSyntaxError');
  });
});

describe('compileJq', () => {
  test('everyday expressions', () => {
    expect(run('.a.b', { a: { b: 3 } })).toEqual([3]);
    expect(run('[.[] | select(. > 1)]', [1, 2, 3])).toEqual([[2, 3]]);
    expect(run('{a, b: (.c + 1)}', { a: 1, c: 2 })).toEqual([{ a: 1, b: 3 }]);
    expect(run('"x\\(.a)y"', { a: [1] })).toEqual(['x[1]y']);
    expect(run('.a // "d"', {})).toEqual(['d']);
    expect(run('reduce range(5) as $i (0; . + $i)')).toEqual([10]);
    expect(run('def f(x): x * 2; f(.)', 4)).toEqual([8]);
    expect(run('. as [$a, {b: $c}] | [$a, $c]', [1, { b: 2 }])).toEqual([[1, 2]]);
    expect(run('.a |= . + 1', { a: 1 })).toEqual([{ a: 2 }]);
    expect(run('(1,2) + (10,20)')).toEqual([11, 12, 21, 22]);
    expect(run('to_entries', { a: 1 })).toEqual([[{ key: 'a', value: 1 }]]);
    expect(run('1e1000')).toEqual([1.7976931348623157e308]);
  });

  test('a program is compiled once per source and capabilities, and errors are never kept', () => {
    const source = '.kept + 1';
    const first = compileJq(source);
    expect(compileJq(source)).toBe(first);
    expect(first.run({ kept: 1 })).toEqual([2]);
    // Other capabilities are another program; refusing one is not cached away by an earlier grant.
    const granted = compileJq('now', { host: ['now'] });
    expect(compileJq('now', { host: ['now'] })).toBe(granted);
    expect(() => compileJq('now')).toThrow(JqCapabilityError);
    expect(compileJq(source, { host: ['now'] })).not.toBe(first);
    expect(() => compileJq('.[')).toThrow(JqSyntaxError);
    expect(() => compileJq('.[')).toThrow(JqSyntaxError);
  });

  test('kept programs are bounded: the least recently used goes first', () => {
    const oldest = compileJq('.evicted');
    const recent = compileJq('.touched');
    for (let i = 0; i < 2_500; i++) {
      if (i % 100 === 0) expect(compileJq('.touched')).toBe(recent);
      compileJq(`.filler${i}`);
    }
    expect(compileJq('.touched')).toBe(recent);
    const again = compileJq('.evicted');
    expect(again).not.toBe(oldest);
    expect(again.run({ evicted: 3 })).toEqual([3]);
    // A very long program is compiled each time rather than kept.
    const long = `[${Array.from({ length: 3_000 }, (_, i) => `.k${i}`).join(', ')}] | length`;
    expect(compileJq(long)).not.toBe(compileJq(long));
    expect(compileJq(long).run({})).toEqual([3_000]);
  });

  test('syntax errors carry a 1-based position', () => {
    try {
      compileJq('.a |\n  (1 +');
      throw new Error('expected a syntax error');
    } catch (e) {
      expect(e).toBeInstanceOf(JqSyntaxError);
      const err = e as JqSyntaxError;
      expect(err.code).toBe('JQ_SYNTAX');
      expect(err.line).toBe(2);
      expect(err.column).toBe(7);
    }
    expect(() => compileJq('nosuchfn(1)')).toThrow('nosuchfn/1 is not defined');
  });

  test('runtime errors carry the error value', () => {
    try {
      run('error({code: 7})');
      throw new Error('expected a runtime error');
    } catch (e) {
      expect(e).toBeInstanceOf(JqRuntimeError);
      expect((e as JqRuntimeError).value).toEqual({ code: 7 });
    }
    expect(() => run('1 + "a"')).toThrow('number (1) and string ("a") cannot be added');
  });

  test('free variables and host dependencies', () => {
    const p = compileJq('$input.a + ($context.b // 0) | . as $x | $x, now, $ENV.HOME, $__loc__', { host: ['now', '$ENV'] });
    expect([...p.freeVariables].sort()).toEqual(['context', 'input']);
    expect([...p.hostDependencies].sort()).toEqual(['$ENV', 'now']);
    expect(p.run(null, { input: { a: 1 }, context: {} }, { now: 5, env: { HOME: '/h' } })).toEqual([
      1,
      5,
      '/h',
      { file: '<top-level>', line: 1 },
    ]);
  });

  test('host capabilities are off unless compilation grants them, each refused at its position', () => {
    for (const [source, capability, column] of [['now', 'now', 1], ['.a | env', 'env', 6], ['[$ENV.HOME]', '$ENV', 2], ['1, input', 'input', 4], ['halt_error', 'halt_error', 1]] as const) {
      let thrown: unknown;
      try {
        compileJq(source);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JqCapabilityError);
      expect((thrown as JqCapabilityError).capability).toBe(capability);
      expect((thrown as JqCapabilityError).column).toBe(column);
    }
    expect(() => compileJq('now, env', { host: ['now'] })).toThrow(JqCapabilityError);
    expect(compileJq('now, env', { host: ['now', 'env'] }).hostDependencies).toEqual(['now', 'env']);
  });

  test('no clock and no environment unless the host passes them', () => {
    expect(() => run('now')).toThrow(JqRuntimeError);
    expect(() => run('now')).toThrow('no clock');
    expect(run('$ENV, env')).toEqual([{}, {}]);
  });

  test('a string built step by step is charged its own size, not each intermediate again', () => {
    expect(run('[range(0; 100000) | "0123456789"] | join("") | length')).toEqual([1_000_000]);
    expect(run('reduce range(0; 100000) as $i (""; . + "0123456789") | length')).toEqual([1_000_000]);
  });

  test('runaway expressions stop with a budget error', () => {
    const cases: Array<[string, string]> = [
      ['reduce range(1e10) as $i (0; .+$i)', 'maxSteps'],
      ['[range(1e9)]', 'maxSteps'],
      ['def f: 1 + f; f', 'maxDepth'],
      ['"x" | until(length > 1e9; . + .)', 'maxOutputBytes'],
    ];
    for (const [source, limit] of cases) {
      try {
        run(source);
        throw new Error(`expected ${source} to exceed its budget`);
      } catch (e) {
        expect(e).toBeInstanceOf(JqBudgetError);
        expect((e as JqBudgetError).limit).toBe(limit as 'maxSteps');
        expect((e as JqBudgetError).source).toBe(source);
      }
    }
  });
});
