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

test('schedule.on is still refused (SW501)', () => {
  const result = compileWorkflow(doc('{on: {one: {with: {type: x}}}}'));
  expect(result.ok ? [] : result.diagnostics.map((d) => [d.code, d.pointer])).toContainEqual(['SW501', '/schedule/on']);
});
