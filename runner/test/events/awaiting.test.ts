/**
 * `baton watch` and `baton status` show what a listening execution waits for: the strategy and the
 * attributes of each event filter, evaluated when the task started; the task's line is printed
 * again when it starts waiting, and the wait disappears once the event arrived.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { baton } from '../cli/local-stack.ts';
import { eventually } from '../service/support/stack.ts';
import { document, startEventStack, TOKEN } from './support.ts';
import type { EventStack } from './support.ts';

setDefaultTimeout(120_000);

let events: EventStack;

beforeAll(async () => {
  events = await startEventStack();
});
afterAll(async () => {
  await events?.stop();
});

test('a listening execution shows which events it waits for, through the CLI, until they came', async () => {
  const id = await events.start(
    document(
      'awaiting',
      `  - decide:\n      listen:\n        to:\n          all:\n            - with: { type: approval.decided, subject: '\${ .request }' }\n            - with: { type: audit.logged, data: { ok: true } }`,
    ),
    { request: 'req-7' },
  );
  const target = ['--runner', events.stack.runner.grpcAddress, '--token', TOKEN];
  const watching = baton(['watch', id, ...target]);
  const status = await eventually(
    () => baton(['status', id, '--json', ...target]),
    (result) => result.stdout.includes('awaiting'),
    30_000,
  );
  const decide = (JSON.parse(status.stdout) as { tasks: { path: string; awaiting?: unknown }[] }).tasks.find((task) => task.path === '/do/0/decide');
  expect(decide?.awaiting).toEqual({
    strategy: 'all',
    events: [
      { attributes: { type: 'approval.decided', subject: 'req-7' }, checksData: false },
      { attributes: { type: 'audit.logged' }, checksData: true },
    ],
    signals: [],
    updates: [],
  });
  const text = await baton(['status', id, ...target]);
  expect(text.stdout).toContain('waiting for all of 2 events {type=approval.decided, subject=req-7} {type=audit.logged, data…}');

  await events.subscribed(1);
  expect((await events.publish([{ type: 'approval.decided', subject: 'req-7', data: 'yes' }, { type: 'audit.logged', data: { ok: true } }])).status).toBe(202);
  const watched = await watching;
  expect(watched.exitCode).toBe(0);
  // The running line with what it waits for, then the completed line without.
  expect(watched.stdout).toMatch(/\/do\/0\/decide\s+listen\s+in_progress {2}waiting for all of 2 events \{type=approval\.decided, subject=req-7\} \{type=audit\.logged, data…\}/);
  expect(watched.stdout).toMatch(/\/do\/0\/decide\s+listen\s+completed/);
  const after = await baton(['status', id, ...target]);
  expect(after.stdout).not.toContain('waiting for');
});
