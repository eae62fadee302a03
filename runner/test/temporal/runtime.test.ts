import { expect, test } from 'bun:test';
import { redactLongTokens } from '../../src/temporal/runtime.ts';

test('a task token in a log line is cut to its 20-character hint', () => {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(150))).toString('base64');
  const line = redactLongTokens(`Activity not found: task_token=${token} (it timed out)`);
  expect(line).toBe(`Activity not found: task_token=${token.slice(0, 20)}… (it timed out)`);
  expect(line).not.toContain(token.slice(0, 21));
});

test('ordinary identifiers and short values pass through', () => {
  const line = 'workflow order-processing-for-customer-3f2a9c1e-aa11-4b7e-9d3c-000000000000-attempt-2 on queue baton';
  expect(redactLongTokens(line)).toBe(line);
});
