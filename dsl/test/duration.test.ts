import { describe, expect, test } from 'bun:test';
import { durationToMs } from '../src/runtime.ts';

describe('durationToMs', () => {
  test.each([
    ['PT30S', 30_000],
    ['PT1H30M', 5_400_000],
    ['P2D', 172_800_000],
    ['P1W', 604_800_000],
    ['PT0.5S', 500],
    ['P1DT1S', 86_401_000],
  ])('ISO %s', (text, ms) => {
    expect(durationToMs(text)).toEqual({ ok: true, ms });
  });

  test('objects add up their fields, numeric strings included', () => {
    expect(durationToMs({ minutes: 1, seconds: '30', milliseconds: 5 })).toEqual({ ok: true, ms: 90_005 });
  });

  test.each([
    ['P1Y'],
    ['P1M'],
    ['PT'],
    ['P'],
    ['30s'],
    [''],
    [{}],
    [{ weeks: 1 }],
    [{ seconds: -1 }],
    [{ seconds: 'soon' }],
    [null],
    [[1]],
    [42],
    [{ days: 1e12 }],
  ])('rejects %p with SW303', (value) => {
    const result = durationToMs(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('SW303');
  });
});
