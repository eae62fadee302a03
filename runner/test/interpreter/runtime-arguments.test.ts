/**
 * Validation and execution agree on variables by construction: both read RUNTIME_ARGUMENTS. This
 * walks that table: at every expression site, a document reading every argument the table lists
 * (and the jq language's own variables) validates and runs on the real dev server without an
 * expression error, and one reading an argument the table leaves out is refused at validation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { compileWorkflow } from '@baton/dsl';
import { EXPRESSION_SITES, JQ_VARIABLES, RUNTIME_ARGUMENTS } from '@baton/dsl/runtime';
import type { ExpressionSite, RuntimeArgument } from '@baton/dsl/runtime';
import { compileYaml, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const ARGUMENTS: readonly RuntimeArgument[] = ['context', 'input', 'output', 'secrets', 'task', 'workflow', 'runtime'];

/** A document whose one expression at `site` is `reads` (jq producing a number). */
function documentAt(site: ExpressionSite, reads: string): string {
  const count = `\${ (${reads}) as $n | {n: 1} }`;
  const asDuration = `\${ (${reads}) as $n | "PT1M" }`;
  const header = `document: {dsl: '1.0.3', namespace: walk, name: ${site.toLowerCase()}, version: '1.0.0'}\n`;
  const task = (field: string) => `${header}do:\n  - probe:\n      set: {n: 0}\n${field}`;
  switch (site) {
    case 'workflowInput':
      return `${header}input: {from: '${count}'}\ndo:\n  - probe: {set: {n: 0}}\n`;
    case 'workflowTimeout':
      return `${header}timeout: {after: '${asDuration}'}\ndo:\n  - probe: {set: {n: 0}}\n`;
    case 'workflowOutput':
      return `${header}output: {as: '${count}'}\ndo:\n  - probe: {set: {n: 0}}\n`;
    case 'taskInput':
      return task(`      input: {from: '${count}'}\n`);
    case 'taskIf':
      return task(`      if: '\${ (${reads}) as $n | true }'\n`);
    case 'taskTimeout':
      return task(`      timeout: {after: '${asDuration}'}\n`);
    case 'task':
      return `${header}do:\n  - probe:\n      set: {n: '\${ (${reads}) as $n | 1 }'}\n`;
    case 'taskOutput':
      return task(`      output: {as: '${count}'}\n`);
    case 'taskExport':
      return task(`      export: {as: '${count}'}\n`);
  }
}

/** Reading `$secrets` outside `call: http` is refused for another reason (SW405), covered by the secrets tests. */
const readable = (site: ExpressionSite) => RUNTIME_ARGUMENTS[site].filter((name) => name !== 'secrets');

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('runtime-arguments');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe('every runtime argument validation accepts is bound at run time', () => {
  for (const site of EXPRESSION_SITES) {
    test(site, async () => {
      const reads = [...readable(site), ...JQ_VARIABLES].map((name) => `$${name}`).join(', ');
      const plan = compileYaml(documentAt(site, `[${reads}] | length`), `${site}.yaml`);
      const handle = await harness.start(plan, { x: 1 });
      // An unbound variable would fail the execution with JQ_RUNTIME: $x is not defined.
      expect(await handle.result()).toBeDefined();
    });
  }
});

describe('every runtime argument the table leaves out is refused at validation', () => {
  for (const site of EXPRESSION_SITES) {
    const missing = ARGUMENTS.filter((name) => !RUNTIME_ARGUMENTS[site].includes(name));
    for (const name of missing) {
      test(`$${name} at ${site}`, () => {
        const result = compileWorkflow(documentAt(site, `$${name} | length`));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SW402']);
      });
    }
  }
  test('$authorization exists only after a call that authenticates', () => {
    const result = compileWorkflow(documentAt('task', '$authorization | length'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SW402']);
  });
});
