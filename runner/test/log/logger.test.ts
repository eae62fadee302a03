/** The structured log's own logic: levels, JSON and pretty lines, field names, redaction. */
import { expect, test } from 'bun:test';
import { createLogger } from '../../src/log/index.ts';
import type { LogFormat, LogLevelName } from '../../src/log/index.ts';

const AT = new Date('2026-12-03T10:11:12.345Z');
const TASK_TOKEN = Buffer.alloc(120, 7).toString('base64');

function capture(level: LogLevelName, format: LogFormat) {
  const lines: string[] = [];
  return { lines, log: createLogger({ level, format, now: () => AT, write: (line) => lines.push(line) }) };
}

test('JSON lines carry time, level, message and fields; the SDK’s workflowId becomes executionId', () => {
  const { lines, log } = capture('info', 'json');
  log.info('callback delivered', { workflowId: 'order-42', tokenHint: 'CiQwMWEyM2M5MS1hY2Uw', taskPath: '/do/0/pay', attempt: 1n });
  expect(lines).toHaveLength(1);
  expect(lines[0]!.endsWith('\n')).toBe(true);
  expect(JSON.parse(lines[0]!)).toEqual({
    time: '2026-12-03T10:11:12.345Z',
    level: 'info',
    msg: 'callback delivered',
    workflowId: 'order-42',
    executionId: 'order-42',
    tokenHint: 'CiQwMWEyM2M5MS1hY2Uw',
    taskPath: '/do/0/pay',
    attempt: '1',
  });
});

test('lines below the level are dropped', () => {
  const { lines, log } = capture('warn', 'json');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual(['warn', 'error']);
});

test('a whole task token never reaches a line, in the message, a field, nested, or an error', () => {
  const { lines, log } = capture('debug', 'json');
  const error = new Error(`Activity not found: task_token=${TASK_TOKEN}`);
  log.warn(`not found ${TASK_TOKEN}`, { token: TASK_TOKEN, nested: { list: [TASK_TOKEN] }, error });
  const text = lines.join('');
  expect(text).not.toContain(TASK_TOKEN);
  expect(text).toContain(`${TASK_TOKEN.slice(0, 20)}…`);
  expect((JSON.parse(lines[0]!) as { error: { message: string } }).error.message).toStartWith('Activity not found');
});

test('pretty lines read left to right: time, level, message, key=value', () => {
  const { lines, log } = capture('info', 'pretty');
  log.warn('callback not delivered (LOST)', { executionId: 'order-42', attempt: 2 });
  expect(lines).toEqual(['10:11:12.345 WARN  callback not delivered (LOST) executionId=order-42 attempt=2\n']);
});
