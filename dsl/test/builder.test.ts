import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow } from '../src/index.ts';
import { expr, forEach, fork, http, raise, runWorkflow, sequence, set, switchOn, tasks, tryCatch, wait, workflow } from '../src/index.ts';
import type { Plan } from '../src/index.ts';

function planOf(result: ReturnType<typeof compileWorkflow>): Plan {
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan;
}

/** The same workflow as specs/dsl/valid/error-handling.yaml, written with the builder. */
const errorHandling = workflow({ namespace: 'default', name: 'error-handling', version: '0.1.0' })
  .use({
    errors: {
      invalidInput: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation', status: 400, title: 'Invalid input' },
    },
  })
  .do(
    'validate',
    tryCatch(
      tasks(
        ['check', switchOn([['missing', { when: '.id == null', then: 'reject' }], ['fine', { then: 'exit' }]])],
        ['reject', raise('invalidInput')],
      ),
      {
        errors: { with: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation', status: 400 } },
        as: 'problem',
        exceptWhen: '$problem.title == "ignore"',
        do: tasks(['fallback', set({ id: 'unknown', reason: expr('$problem.detail // $problem.title') })]),
      },
    ),
  )
  .do(
    'dynamicError',
    raise(
      { type: expr('"https://example.com/errors/" + .kind'), status: 422, instance: '/do/1/dynamicError', detail: expr('"failed because " + .reason') },
      { if: '.fail' },
    ),
  );

const everything = workflow({ namespace: 'shop', name: 'everything', version: '2.0.0', title: 'Builder coverage' })
  .input({ from: expr('{ id: .orderId }') })
  .use({ secrets: ['token'], timeouts: { quick: { after: 'PT10S' } } })
  .timeout({ minutes: 5 })
  .do('fetch', http({ method: 'get', endpoint: 'https://api.example.com/orders/{id}', headers: { authorization: expr('"Bearer " + $secrets.token') }, output: 'response' }, { timeout: 'quick' }))
  .do('lines', forEach({ in: '.body.lines', each: 'line', while: '$index < 10' }, tasks(['price', set({ sku: expr('$line.sku') })])))
  .do('race', fork(tasks(['a', wait('PT1S')], ['b', wait({ seconds: 2 })]), { compete: true }))
  .do('child', runWorkflow({ namespace: 'shop', name: 'invoice', version: '1.0.0', input: { id: expr('.id') } }, { await: false }))
  .do('group', sequence(tasks(['merge', set(expr('. + { merged: true }'))], ['done', set({ ok: true }, { then: 'end' })])))
  .output({ as: expr('.ok') });

describe('typed builder', () => {
  test('build → compile equals the hand-written YAML document', () => {
    const yaml = readFileSync(join(import.meta.dir, '../../specs/dsl/valid/error-handling.yaml'), 'utf8');
    expect(planOf(errorHandling.compile())).toEqual(planOf(compileWorkflow(yaml)));
  });

  test.each([
    ['error-handling', errorHandling],
    ['everything', everything],
  ])('%s: build → yaml → compile equals build → compile', (_name, builder) => {
    const direct = planOf(builder.compile());
    const viaYaml = planOf(compileWorkflow(builder.toYaml()));
    expect(viaYaml).toEqual(direct);
    expect(direct.do.map((task) => task.kind)).toEqual(builder === everything ? ['call.http', 'for', 'fork', 'run.workflow', 'do'] : ['try', 'raise']);
  });

  test('builder documents are checked like any other', () => {
    const broken = workflow({ namespace: 'shop', name: 'broken', version: '1.0.0' }).do('a', set({ x: 1 }, { then: 'nowhere' }));
    const result = broken.compile();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => [d.code, d.taskPath])).toEqual([['SW301', 'do[0].a.then']]);
  });

  test('types reject what the DSL does not allow', () => {
    // @ts-expect-error — a set task holds data, not functions
    set({ fn: () => 1 });
    // @ts-expect-error — http calls need an endpoint
    http({ method: 'get' });
    // @ts-expect-error — an error's status is an integer (the 1.0.0 schema allows no expression there)
    raise({ type: 'https://example.com/e', status: '.code' });
    expect(true).toBe(true);
  });
});
