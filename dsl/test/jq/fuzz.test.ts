import { expect, test } from 'bun:test';
import { usesDeliberateDifference } from './differences.ts';
import { ProgramGenerator, Random, randomJson, render, shrinkCandidates, shrinkJson, type Expr } from './fuzz-grammar.ts';
import { type Outcome, Oracle, describeOutcome, runOurs, sameOutcome } from './oracle.ts';

// JQ_FUZZ_CASES=100000 bun test dsl/test/jq/fuzz.test.ts for a long run; JQ_FUZZ_SEED to vary it.
const CASES = Number(process.env.JQ_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.JQ_FUZZ_SEED ?? 20261126);
const MAX_REPORTS = 5;

// JQ_FUZZ_TRACE=1 prints every program before real jq runs it (jq cannot be interrupted; find a hang).
const TRACE = process.env.JQ_FUZZ_TRACE === '1';

async function diverges(oracle: Oracle, filter: string, input: unknown): Promise<{ jq: Outcome; ours: Outcome } | null> {
  if (usesDeliberateDifference(filter)) return null;
  if (TRACE) console.error(`${filter} <<< ${JSON.stringify(input)}`);
  const jq = await oracle.run(filter, input);
  if (jq === null) return null;
  const ours = runOurs(filter, input);
  return sameOutcome(jq, ours) ? null : { jq, ours };
}

/** Greedy shrinking: keep any smaller program or input that still diverges. */
async function minimise(oracle: Oracle, expr: Expr, input: unknown): Promise<{ filter: string; input: unknown; jq: Outcome; ours: Outcome }> {
  let best = { expr, input, result: (await diverges(oracle, render(expr), input))! };
  for (let progress = true, rounds = 0; progress && rounds < 50; rounds++) {
    progress = false;
    for (const candidate of shrinkCandidates(best.expr)) {
      if (render(candidate).length >= render(best.expr).length) continue;
      const result = await diverges(oracle, render(candidate), best.input);
      if (result) {
        best = { expr: candidate, input: best.input, result };
        progress = true;
        break;
      }
    }
    for (const smaller of shrinkJson(best.input)) {
      const result = await diverges(oracle, render(best.expr), smaller);
      if (result) {
        best = { ...best, input: smaller, result };
        progress = true;
        break;
      }
    }
  }
  return { filter: render(best.expr), input: best.input, jq: best.result.jq, ours: best.result.ours };
}

test(`differential fuzzer: ${CASES} random programs agree with jq 1.8.2 (seed ${SEED})`, async () => {
  const oracle = await Oracle.load();
  const random = new Random(SEED);
  const generator = new ProgramGenerator(random);
  const reports: string[] = [];
  for (let i = 0; i < CASES && reports.length < MAX_REPORTS; i++) {
    const expr = generator.expr(4, []);
    const input = randomJson(random);
    if ((await diverges(oracle, render(expr), input)) === null) continue;
    const min = await minimise(oracle, expr, input);
    reports.push(
      `case ${i}: jq '${min.filter}' <<< '${JSON.stringify(min.input)}'\n    jq:       ${describeOutcome(min.jq)}\n    baton-jq: ${describeOutcome(min.ours)}`,
    );
  }
  if (reports.length) console.error(`Divergences (minimal reproductions):\n${reports.join('\n')}`);
  expect(reports.length).toBe(0);
}, 600_000);
