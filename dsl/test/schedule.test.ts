import { expect, test } from 'bun:test';
import { compileWorkflow } from '../src/index.ts';
import { cronProblem } from '../src/validate/schedule.ts';

const doc = (schedule: string) => `document: {dsl: '1.0.3', namespace: t, name: s, version: '1.0.0'}
schedule: ${schedule}
do:
  - a: {set: {x: 1}}
`;

test('every and cron compile into the plan; a document without schedule has none', () => {
  const every = compileWorkflow(doc('{every: {seconds: 2}}'));
  expect(every.ok && every.plan.schedule).toEqual({ kind: 'every', everyMs: 2000 });
  const cron = compileWorkflow(doc("{cron: '0 0 * * *'}"));
  expect(cron.ok && cron.plan.schedule).toEqual({ kind: 'cron', cron: '0 0 * * *' });
  const none = compileWorkflow(doc('{every: PT1M}').replace(/schedule:.*\n/, ''));
  expect(none.ok && none.plan.schedule).toBeUndefined();
});

test('cron expressions: five fields with ranges, lists, steps and names, or a macro', () => {
  for (const ok of ['* * * * *', '*/5 0-6,18-23 1 jan-mar mon', '0 12 ? * 7', '@daily', '@HOURLY', '59 23 31 12 sun']) {
    expect(cronProblem(ok)).toBeUndefined();
  }
  expect(cronProblem('0 0 * *')).toContain('4 fields');
  expect(cronProblem('60 * * * *')).toContain('minute');
  expect(cronProblem('* * 0 * *')).toContain('day of month');
  expect(cronProblem('* * * 13 *')).toContain('month');
  expect(cronProblem('* * * * 8')).toContain('day of week');
  expect(cronProblem('5-1 * * * *')).toContain("'5-1'");
  expect(cronProblem('*/0 * * * *')).toContain("'*/0'");
  expect(cronProblem('@sometimes')).toContain('unknown macro');
});

test('schedule.after compiles into the plan, at least a second, alone', () => {
  const after = compileWorkflow(doc('{after: PT2S}'));
  expect(after.ok && after.plan.schedule).toEqual({ kind: 'after', afterMs: 2000 });
  const short = compileWorkflow(doc('{after: {milliseconds: 10}}'));
  expect(short.ok ? [] : short.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['SW303', '/schedule/after']]);
  const both = compileWorkflow(doc('{after: PT2S, every: PT2S}'));
  expect(both.ok ? [] : both.diagnostics.map((d) => d.code)).toEqual(['SW307']);
});

test('schedule.on compiles into the plan as an event consumption strategy', () => {
  const one = compileWorkflow(doc('{on: {one: {with: {type: order.placed, source: "https://shop.example"}}}}'));
  expect(one.ok && one.plan.schedule).toEqual({
    kind: 'on',
    consume: { kind: 'one', filter: { attributes: [['type', { kind: 'literal', value: 'order.placed' }], ['source', { kind: 'literal', value: 'https://shop.example' }]], correlate: [] } },
  });
  const all = compileWorkflow(doc("{on: {all: [{with: {type: a}, correlate: {order: {from: '${ .data.order }'}}}, {with: {type: b, data: '${ .ok }'}}]}}"));
  expect(all.ok && all.plan.schedule?.kind === 'on' && all.plan.schedule.consume.kind).toBe('all');
  const any = compileWorkflow(doc('{on: {any: []}}'));
  expect(any.ok && any.plan.schedule).toEqual({ kind: 'on', consume: { kind: 'any', filters: [] } });
});

test('schedule.on refuses what a trigger cannot evaluate: attribute expressions, expect expressions, until', () => {
  const codes = (schedule: string) => {
    const result = compileWorkflow(doc(schedule));
    return result.ok ? [] : result.diagnostics.map((d) => [d.code, d.pointer]);
  };
  expect(codes("{on: {one: {with: {type: '${ .kind }'}}}}")).toContainEqual(['SW501', '/schedule/on/one/with/type']);
  expect(codes("{on: {all: [{with: {type: a}, correlate: {k: {from: '${ .subject }', expect: '${ .k }'}}}]}}")).toContainEqual(['SW501', '/schedule/on/all/0/correlate/k/expect']);
  expect(codes("{on: {any: [{with: {type: a}}], until: '${ length > 1 }'}}")).toContainEqual(['SW501', '/schedule/on/until']);
  expect(codes('{on: {one: {with: {type: a}}}, every: PT1M}').map(([code]) => code)).toEqual(['SW307']);
});
