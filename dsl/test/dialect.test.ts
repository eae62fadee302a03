import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow } from '../src/index.ts';
import type { Plan } from '../src/index.ts';

function plan(source: string): Plan {
  const result = compileWorkflow(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan;
}

test('the Zigflow dialect is normalised into the spec plan', () => {
  const compiled = plan(readFileSync(join(import.meta.dir, '../../specs/dsl/valid/zigflow-dialect.yaml'), 'utf8'));
  expect(compiled.document).toMatchObject({ namespace: 'zigflow', name: 'order-flow', version: '0.0.1' });
  expect(compiled.activityOptions).toEqual({
    startToCloseTimeoutMs: 30_000,
    heartbeatTimeoutMs: 10_000,
    retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, nonRetryableErrorTypes: ['ValidationError'] },
  });
  const [pause, callChild, notify] = compiled.do;
  expect(pause).toMatchObject({
    kind: 'wait',
    duration: { kind: 'dynamic', value: { kind: 'object', entries: [['seconds', { kind: 'expr', expr: { jq: '.delaySeconds' } }]] } },
  });
  expect(callChild).toMatchObject({
    kind: 'run.workflow',
    workflow: { namespace: 'zigflow', name: 'child-workflow', version: '0.0.1' },
    await: true,
  });
  expect(notify).toMatchObject({ kind: 'call.http', activityOptions: { heartbeatTimeoutMs: 5_000 } });
});

test('when both spellings are given the spec wins and the Zigflow value moves to metadata', () => {
  const compiled = plan(`document:
  dsl: 1.0.0
  taskQueue: queue-a
  namespace: shop
  workflowType: checkout
  version: 1.0.0
  tags: { tier: 1 }
do:
  - a:
      set:
        x: 1
`);
  expect(compiled.document).toEqual({ dsl: '1.0.0', namespace: 'shop', name: 'checkout', version: '1.0.0', tags: { tier: '1' }, metadata: { taskQueue: 'queue-a' } });
});

test('a problem in a renamed field is reported where it is written', () => {
  const result = compileWorkflow(`document:
  dsl: 1.0.0
  taskQueue: not_valid
  workflowType: flow
  version: 1.0.0
do:
  - a:
      set:
        x: 1
`);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.diagnostics.map((d) => [d.code, d.line, d.column, d.taskPath])).toEqual([['SW204', 3, 14, 'document.taskQueue']]);
});
