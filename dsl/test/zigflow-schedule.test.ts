/** Zigflow's schedule metadata at compile time: what a deployment keeps, what it refuses, and that specification documents are untouched. */
import { expect, test } from 'bun:test';
import { compileWorkflow } from '../src/index.ts';

function zigflow(metadata: string, schedule = 'schedule:\n  every: PT1M\n'): string {
  return `document:\n  dsl: 1.0.0\n  taskQueue: q\n  workflowType: nightly\n  version: 1.0.0\n  metadata:\n${metadata}\n${schedule}do:\n  - a:\n      set:\n        x: 1\n`;
}

function codes(source: string): string[] {
  const result = compileWorkflow(source);
  return result.ok ? [] : result.diagnostics.map((d) => d.code);
}

test('scheduleInput becomes the scheduled runs\' input template, $env kept for deploy time', () => {
  const result = compileWorkflow(zigflow('    scheduleWorkflowName: nightly\n    scheduleInput:\n      - region: ${ $env.REGION }\n        fixed: 1'));
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.plan.scheduleInput).toEqual({
    kind: 'object',
    entries: [
      ['region', { kind: 'expr', expr: { jq: '$env.REGION' } }],
      ['fixed', { kind: 'literal', value: 1 }],
    ],
  });
});

test('without scheduleInput the plan has none; without a schedule the metadata is not read', () => {
  const plain = compileWorkflow(zigflow('    scheduleWorkflowName: nightly'));
  expect(plain.ok && plain.plan.scheduleInput).toBeUndefined();
  expect(codes(zigflow('    scheduleId: anything', ''))).toEqual([]);
});

test('scheduleId names the deployment\'s Temporal Schedule', () => {
  const result = compileWorkflow(zigflow('    scheduleWorkflowName: nightly\n    scheduleId: nightly-report'));
  expect(result.ok && result.plan.scheduleId).toBe('nightly-report');
  const none = compileWorkflow(zigflow('    scheduleWorkflowName: nightly'));
  expect(none.ok && none.plan.scheduleId).toBeUndefined();
});

test('what a deployment cannot keep is refused with a code', () => {
  expect(codes(zigflow('    owner: ops'))).toContain('SW201');
  expect(codes(zigflow('    scheduleWorkflowName: other'))).toContain('SW307');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleId: ${ $env.ID }'))).toContain('SW501');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleId: 7'))).toContain('SW307');
  expect(codes(zigflow("    scheduleWorkflowName: nightly\n    scheduleId: ''"))).toContain('SW307');
  expect(codes(zigflow(`    scheduleWorkflowName: nightly\n    scheduleId: ${'x'.repeat(201)}`))).toContain('SW307');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleId: "a\\tb"'))).toContain('SW307');
  // `after` and `on` are run by the deployment itself: no Temporal Schedule to name.
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleId: mine', 'schedule:\n  after: PT1M\n'))).toContain('SW307');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleInput: [1, 2]'))).toContain('SW307');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleInput: {a: 1}'))).toContain('SW307');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleInput:\n      - ${ $input.a }'))).toContain('SW402');
  expect(codes(zigflow('    scheduleWorkflowName: nightly\n    scheduleInput:\n      - ${ $secrets.a }'))).not.toEqual([]);
});

test('a specification document keeps free-form metadata next to its schedule', () => {
  const spec = `document:\n  dsl: 1.0.0\n  namespace: q\n  name: nightly\n  version: 1.0.0\n  metadata:\n    scheduleId: mine\nschedule:\n  every: PT1M\ndo:\n  - a:\n      set:\n        x: 1\n`;
  const result = compileWorkflow(spec);
  expect(result.ok).toBe(true);
  expect(result.ok && result.plan.scheduleInput).toBeUndefined();
  expect(result.ok && result.plan.scheduleId).toBeUndefined();
});
