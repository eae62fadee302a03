import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow, compileWorkflowObject } from '../src/index.ts';
import type { CompileResult, Diagnostic, Plan } from '../src/index.ts';

const header = `document:
  dsl: '1.0.0'
  namespace: test
  name: unit
  version: '0.1.0'
`;

function compile(body: string): CompileResult {
  return compileWorkflow(header + body, { file: 'unit.yaml' });
}

function plan(body: string): Plan {
  const result = compile(body);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan;
}

function diagnostics(body: string): Diagnostic[] {
  const result = compile(body);
  if (result.ok) throw new Error('expected diagnostics');
  return [...result.diagnostics];
}

describe('references and defaults', () => {
  test('use.* components are resolved into the plan and defaults made explicit', () => {
    const source = readFileSync(join(import.meta.dir, '../../specs/dsl/valid/references-and-defaults.yaml'), 'utf8');
    const result = compileWorkflow(source);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const { plan: compiled } = result;
    expect(compiled.timeout).toEqual({ kind: 'static', ms: 86_400_000 });
    expect(compiled.secrets).toEqual(['token']);
    const byName = Object.fromEntries(compiled.do.map((task) => [task.name, task]));
    expect(byName.again).toMatchObject({ kind: 'switch', cases: [{ name: 'more', then: { kind: 'goto', name: 'count', index: 1 } }, { name: 'done', then: { kind: 'continue' } }] });
    expect(byName.count!.export).toMatchObject({ as: { kind: 'expr', expr: { jq: '$context + { attempts: .attempts }' } }, schema: { format: 'json', document: { type: 'object' } } });
    expect(byName.fetch).toMatchObject({
      kind: 'call.http',
      timeout: { kind: 'static', ms: 45_000 },
      input: { schema: { format: 'json' } },
      output: { schema: { format: 'json' } },
      query: { kind: 'object', entries: [['page', { kind: 'expr', expr: { jq: '.attempts' } }]] },
      outputFormat: 'content',
      redirect: false,
    });
    expect(byName.guarded).toMatchObject({
      kind: 'try',
      catch: { as: 'error', retry: { delayMs: 2_000, backoff: { kind: 'linear', incrementMs: 1_000 }, limit: { attemptCount: 4 } } },
    });
    expect(byName.limit).toMatchObject({
      kind: 'raise',
      if: { jq: '.attempts > 10' },
      error: { type: { kind: 'literal', value: 'https://example.com/errors/too-many' }, status: { kind: 'literal', value: 429 } },
    });
    expect(byName.child).toMatchObject({ kind: 'run.workflow', await: true, metadata: { owner: 'team-a' }, workflow: { namespace: 'default', name: 'child', version: '0.1.0' } });
  });
});

describe('compileWorkflow', () => {
  test('compiles set, switch and flow targets into the plan', () => {
    const compiled = plan(`do:
  - start:
      set:
        count: \${ .n + 1 }
        label: fixed
  - route:
      switch:
        - big:
            when: .count > 10
            then: done
        - otherwise:
            then: continue
  - middle:
      set:
        x: 1
  - done:
      set:
        finished: true
      then: end
`);
    expect(compiled.formatVersion).toBe(1);
    expect(compiled.document).toEqual({ dsl: '1.0.0', namespace: 'test', name: 'unit', version: '0.1.0' });
    const [start, route] = compiled.do;
    expect(start).toMatchObject({
      kind: 'set',
      name: 'start',
      reference: '/do/0/start',
      then: { kind: 'continue' },
      set: { kind: 'object', entries: [['count', { kind: 'expr', expr: { jq: '.n + 1' } }], ['label', { kind: 'literal', value: 'fixed' }]] },
    });
    expect(route).toMatchObject({
      kind: 'switch',
      cases: [
        { name: 'big', when: { jq: '.count > 10' }, then: { kind: 'goto', name: 'done', index: 3 } },
        { name: 'otherwise', then: { kind: 'continue' } },
      ],
    });
    expect(compiled.do[3]!.then).toEqual({ kind: 'end' });
  });

  test('a plan round-trips through JSON unchanged', () => {
    const compiled = plan(`do:
  - wait:
      wait: PT1M30S
  - call:
      call: http
      with:
        method: get
        endpoint: https://example.com/{id}
`);
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);
    expect(compiled.do[0]).toMatchObject({ kind: 'wait', duration: { kind: 'static', ms: 90_000 } });
    expect(compiled.do[1]).toMatchObject({ kind: 'call.http', method: 'GET', endpoint: { kind: 'literal', value: 'https://example.com/{id}' }, outputFormat: 'content', redirect: false });
  });

  test('reports every problem in source order with positions and task paths', () => {
    const found = diagnostics(`do:
  - first:
      set:
        a: \${ .x + }
      then: secnd
  - second:
      sett:
        b: 1
`);
    expect(found.map((d) => [d.code, d.line, d.column, d.taskPath])).toEqual([
      ['SW400', 9, 19, 'do[0].first.set.a'],
      ['SW301', 10, 13, 'do[0].first.then'],
      ['SW205', 11, 5, 'do[1].second'],
    ]);
    expect(found[1]!.hint).toBe("did you mean 'second'?");
    expect(found[0]!.file).toBe('unit.yaml');
  });

  test('rejects non-deterministic jq and allows the deterministic host features', () => {
    const found = diagnostics(`do:
  - a:
      set:
        fine: \${ now | debug | localtime | mktime }
        env: \${ $ENV.HOME }
        bad: \${ input }
`);
    expect(found.map((d) => d.code)).toEqual(['SW401']);
  });

  test('a literal with ${ } inside compiles but warns (SW403): strict mode has no interpolation', () => {
    const result = compile(`do:
  - greet:
      set:
        message: Hello \${ .name }
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((w) => [w.code, w.severity, w.line, w.column])).toEqual([['SW403', 'warning', 9, 18]]);
    expect(result.plan.do[0]).toMatchObject({ kind: 'set', set: { kind: 'literal', value: { message: 'Hello ${ .name }' } } });
  });

  test('a then naming a task of an enclosing list explains the scoping rule', () => {
    const [found] = diagnostics(`do:
  - outer:
      do:
        - inner:
            set:
              a: 1
            then: final
  - final:
      set:
        b: 1
`);
    expect(found).toMatchObject({ code: 'SW301', line: 12, column: 19, taskPath: 'do[0].outer.do[0].inner.then' });
    expect(found!.hint).toContain('use `then: exit`');
  });

  test('tasks no path reaches are reported as warnings (SW308)', () => {
    const result = compile(`do:
  - first:
      set:
        a: 1
      then: last
  - skipped:
      set:
        b: 2
  - last:
      raise:
        error:
          type: https://example.com/e
          status: 500
  - afterRaise:
      set:
        c: 3
`);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings.map((w) => [w.code, w.taskPath])).toEqual([['SW308', 'do[1].skipped'], ['SW308', 'do[3].afterRaise']]);
  });

  test('a task skipped by its if continues with the next task, so what follows a guarded raise is reachable', () => {
    const result = compile(`do:
  - refuse:
      if: .age < 18
      raise:
        error:
          type: https://example.com/forbidden
          status: 403
      then: end
  - proceed:
      set:
        ok: true
`);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings).toEqual([]);
  });

  test('undeclared secrets, unknown top-level keys and prototype names are reported, not resolved', () => {
    const found = diagnostics(`use:
  secrets: [token]
do:
  - a:
      raise:
        error: constructor
  - b:
      call: http
      with:
        method: get
        endpoint: https://example.com
        headers:
          auth: \${ $secrets.tokn }
ouput: {}
`);
    expect(found.map((d) => [d.code, d.taskPath, d.hint])).toEqual([
      ['SW304', 'do[0].a.raise.error', undefined],
      ['SW304', 'do[1].b.with.headers.auth', "did you mean 'token'?"],
      ['SW202', 'ouput', "did you mean 'output'?"],
    ]);
  });

  test('call.http marks the fields that read $secrets; nothing else may read them (SW405)', () => {
    const compiled = plan(`use:
  secrets: [token, other]
do:
  - withSecrets:
      call: http
      with:
        method: post
        endpoint: \${ "https://example.com/" + $secrets.other }
        headers:
          authorization: \${ "Bearer " + $secrets.token }
          plain: \${ .id }
        query:
          id: \${ .id }
        body:
          nested:
            - \${ $secrets["token"] }
  - without:
      call: http
      with:
        method: get
        endpoint: https://example.com/{id}
        headers:
          plain: \${ .id }
`);
    expect(compiled.do[0]).toMatchObject({ kind: 'call.http', secretFields: ['endpoint', 'headers', 'body'] });
    expect(compiled.do[1]).not.toHaveProperty('secretFields');
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);

    const found = diagnostics(`use:
  secrets: [token]
do:
  - call:
      call: http
      with:
        method: get
        endpoint: https://example.com
      output:
        as: \${ $secrets.token }
      export:
        as: \${ $secrets | length }
`);
    expect(found.map((d) => [d.code, d.taskPath, d.line, d.column])).toEqual([
      ['SW405', 'do[0].call.output.as', 15, 16],
      ['SW405', 'do[0].call.export.as', 17, 16],
    ]);
    expect(found[0]!.hint).toContain('call: http');
  });

  test('reports every one of thousands of mistakes (work stays linear in the document)', () => {
    let body = 'do:\n';
    for (let i = 0; i < 2000; i++) body += `  - t${i}:\n      set:\n        v: \${ .a + }\n      then: nowhere\n      wat: 1\n`;
    const found = diagnostics(body);
    expect(found.length).toBe(6000);
    expect(new Set(found.map((d) => d.code))).toEqual(new Set(['SW400', 'SW301', 'SW202']));
    expect(found.at(-1)).toMatchObject({ code: 'SW202', taskPath: 'do[1999].t1999.wat', line: 6 + 1999 * 5 + 5, column: 7 });
  });

  test('objects that are not plain JSON data are SW105, not a crash', () => {
    const cyclic: Record<string, unknown> = { document: {} };
    cyclic.self = cyclic;
    for (const value of [cyclic, { big: 1n }, null, [1], 'text']) {
      const result = compileWorkflowObject(value);
      expect(result.ok ? 'ok' : result.diagnostics.map((d) => d.code)).toEqual(['SW105']);
    }
  });

  test('maxBytes bounds the source; nonsense limits fall back to the 1 MiB default', () => {
    const source = `${header}do:\n  - a:\n      set:\n        x: 1\n`;
    const small = compileWorkflow(source, { maxBytes: 50 });
    expect(small.ok ? 'ok' : small.diagnostics.map((d) => d.code)).toEqual(['SW104']);
    for (const maxBytes of [Number.NaN, -1, 0, Number.POSITIVE_INFINITY]) expect(compileWorkflow(source, { maxBytes }).ok).toBe(true);
    expect(compileWorkflow(`${source}#${'x'.repeat(1_100_000)}\n`).ok).toBe(false);
  });

  test('never throws, whatever the input', () => {
    // The blank ones are near the size limit: a regular expression that backtracks across lines would hang on them.
    for (const source of ['', '{', 'a: [', '- 1', 'null', '\u0000\uffff', 'document: 5\ndo: 5', '\n'.repeat(1_000_000), ' \n'.repeat(400_000)]) {
      const result = compileWorkflow(source);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.diagnostics.every((d) => d.code !== 'SW900')).toBe(true);
    }
  });
});
