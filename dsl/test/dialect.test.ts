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
    duration: { kind: 'dynamic', value: { kind: 'object', entries: [['seconds', { kind: 'expr', expr: { jq: '$input.delaySeconds' } }]] } },
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

const zigflowDocument = (body: string) => `document:
  dsl: 1.0.0
  taskQueue: q
  workflowType: main
  version: 1.0.0
${body}`;
const specDocument = (body: string) => `document:
  dsl: 1.0.0
  namespace: q
  name: main
  version: 1.0.0
${body}`;

function codes(source: string): string[] {
  const result = compileWorkflow(source);
  return result.ok ? [] : result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

test("Zigflow's variables and functions exist in its dialect and nowhere else", () => {
  const body = `do:
  - a:
      set:
        fromData: \${ $data.x }
        fromEnv: \${ $env.Y }
        last: \${ $output }
        id: \${ uuid }
        at: \${ timestamp_iso8601 }
`;
  const dialect = plan(zigflowDocument(body));
  expect(dialect.dialect).toBe('zigflow');
  expect(codes(specDocument(body))).toEqual(['SW402', 'SW402', 'SW402', 'SW400', 'SW400']);
  const spec = plan(specDocument('do:\n  - a:\n      set:\n        x: 1\n'));
  expect(spec.dialect).toBeUndefined();
});

test('a Zigflow file whose top-level tasks are all `do` defines one workflow type per task', () => {
  const compiled = plan(
    zigflowDocument(`do:
  - helper:
      do:
        - greet:
            set: { a: 1 }
  - main:
      do:
        - callHelper:
            run:
              workflow:
                type: helper
        - greet:
            set: { b: 2 }
`),
  );
  expect(compiled.workflows).toEqual(['helper', 'main']);
  expect(compiled.entry).toBe('main');
  const main = compiled.do[1];
  expect(main?.kind === 'do' && main.do[0]).toMatchObject({ kind: 'run.workflow', sibling: true, workflow: { name: 'helper', namespace: 'q' } });
  // The same file in the spec's semantics is one sequential workflow.
  expect(plan(specDocument('do:\n  - helper:\n      do:\n        - greet:\n            set: { a: 1 }\n')).workflows).toBeUndefined();
  // No workflow type named by workflowType: which one to run is said, never guessed.
  expect(codes(zigflowDocument('do:\n  - one:\n      do:\n        - a:\n            set: { a: 1 }\n'))).toEqual(['SW307']);
});
