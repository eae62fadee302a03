import { expect, test } from 'bun:test';
import corpus from './corpus.json';
import { DELIBERATE_DIFFERENCES } from './differences.ts';
import { Oracle, describeOutcome, runOurs, sameOutcome } from './oracle.ts';

interface Group {
  input: unknown;
  filters: string[];
}

test('differential corpus: Baton jq and jq 1.8.2 agree on every case', async () => {
  const oracle = await Oracle.load();
  const groups = corpus as Group[];
  const failures: string[] = [];
  let cases = 0;
  for (const { input, filters } of groups) {
    for (const filter of filters) {
      if (filter in DELIBERATE_DIFFERENCES) continue;
      cases++;
      const expected = oracle.runSync(filter, input);
      const actual = runOurs(filter, input);
      if (!sameOutcome(expected, actual)) {
        failures.push(`${filter}\n    input:    ${JSON.stringify(input).slice(0, 200)}\n    jq:       ${describeOutcome(expected)}\n    baton-jq: ${describeOutcome(actual)}`);
      }
    }
  }
  expect(cases).toBeGreaterThanOrEqual(500);
  if (failures.length) console.error(`${failures.length} divergences:\n${failures.join('\n')}`);
  expect(failures.length).toBe(0);
}, 120_000);
