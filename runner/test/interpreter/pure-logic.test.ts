/** Pure helpers of the interpreter: retry arithmetic, URI templates, error matching, status bounds. */
import { describe, expect, test } from 'bun:test';
import type { RetryPolicy } from '@baton/dsl/runtime';
import { errorTypeMatches } from '../../src/contract/index.ts';
import { mayRetry, retryDelayMs } from '../../src/workflow/retry.ts';
import { MAX_TASK_ENTRIES, StatusTracker } from '../../src/workflow/status.ts';
import { expandUriTemplate } from '../../src/workflow/tasks/call-http.ts';
import { activityOptions, taskActivityOptions } from '../../src/workflow/call-policy.ts';

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  delayMs: 100,
  backoff: { kind: 'constant' },
  limit: {},
  ...overrides,
});

describe('retry delays', () => {
  test('constant, linear and exponential backoff', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(policy({}), retry))).toEqual([100, 100, 100]);
    expect([1, 2, 3].map((retry) => retryDelayMs(policy({ backoff: { kind: 'linear' } }), retry))).toEqual([100, 200, 300]);
    expect([1, 2, 3].map((retry) => retryDelayMs(policy({ backoff: { kind: 'linear', incrementMs: 50 } }), retry))).toEqual([
      100, 150, 200,
    ]);
    expect([1, 2, 3].map((retry) => retryDelayMs(policy({ backoff: { kind: 'exponential' } }), retry))).toEqual([100, 200, 400]);
    expect(retryDelayMs(policy({ backoff: { kind: 'exponential', factor: 3 } }), 3)).toBe(900);
  });

  test('jitter stays inside its range', () => {
    const jittered = policy({ jitter: { fromMs: 10, toMs: 20 } });
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(jittered, 1);
      expect(delay).toBeGreaterThanOrEqual(110);
      expect(delay).toBeLessThanOrEqual(120);
    }
  });

  test('attempt count and total duration limit retries', () => {
    const limited = policy({ limit: { attemptCount: 3, durationMs: 1_000 } });
    expect(mayRetry(limited, 1, 0, 100, 0)).toBe(true);
    expect(mayRetry(limited, 3, 0, 100, 0)).toBe(false);
    expect(mayRetry(limited, 1, 0, 100, 950)).toBe(false);
    expect(mayRetry(policy({}), 1_000, 0, 100, 10_000_000)).toBe(true);
  });
});

describe('URI templates', () => {
  test('placeholders come from the task input, percent-encoded', () => {
    expect(expandUriTemplate('http://h/pets/{petId}', { petId: 7 })).toBe('http://h/pets/7');
    expect(expandUriTemplate('http://h/u/{user.name}/x', { user: { name: 'a b/c' } })).toBe('http://h/u/a%20b%2Fc/x');
    expect(expandUriTemplate('http://h/{missing}', {})).toBe('http://h/');
    expect(expandUriTemplate('http://h/{id}', null)).toBe('http://h/');
  });
});

describe('activity options', () => {
  test("a task's activity options override the document's field by field", () => {
    const document = { startToCloseTimeoutMs: 5_000, retry: { maximumAttempts: 3, initialIntervalMs: 100 } };
    expect(taskActivityOptions(document, undefined)).toBe(document);
    expect(taskActivityOptions(document, { heartbeatTimeoutMs: 1_000, retry: { maximumAttempts: 1 } })).toEqual({
      startToCloseTimeoutMs: 5_000,
      heartbeatTimeoutMs: 1_000,
      retry: { maximumAttempts: 1, initialIntervalMs: 100 },
    });
  });

  test('defaults apply and metadata.activityOptions overrides them', () => {
    const defaults = activityOptions({}, 'summary');
    expect(defaults).toMatchObject({ startToCloseTimeout: 60_000, retry: { maximumAttempts: 3, initialInterval: 1_000 }, summary: 'summary' });
    const custom = activityOptions({ startToCloseTimeoutMs: 5_000, heartbeatTimeoutMs: 2_000, retry: { maximumAttempts: 1 } }, 's');
    expect(custom).toMatchObject({ startToCloseTimeout: 5_000, heartbeatTimeout: 2_000, retry: { maximumAttempts: 1, initialInterval: 1_000 } });
  });
});

describe('error matching', () => {
  test('short standard names and full URIs match', () => {
    const communication = 'https://serverlessworkflow.io/spec/1.0.0/errors/communication';
    expect(errorTypeMatches('communication', communication)).toBe(true);
    expect(errorTypeMatches(communication, communication)).toBe(true);
    expect(errorTypeMatches('timeout', communication)).toBe(false);
    expect(errorTypeMatches('https://example.com/communication', communication)).toBe(false);
    // The two URI forms of a standard type are one type, whichever side writes which.
    const dslForm = 'https://serverlessworkflow.io/dsl/errors/types/communication';
    expect(errorTypeMatches(dslForm, communication)).toBe(true);
    expect(errorTypeMatches(communication, dslForm)).toBe(true);
    expect(errorTypeMatches('communication', dslForm)).toBe(true);
    expect(errorTypeMatches('https://serverlessworkflow.io/dsl/errors/types/timeout', communication)).toBe(false);
    expect(errorTypeMatches('https://serverlessworkflow.io/dsl/errors/types/nonsense', 'https://serverlessworkflow.io/spec/1.0.0/errors/nonsense')).toBe(false);
  });
});

describe('status', () => {
  test('long loops keep the status bounded and never drop running entries', () => {
    const status = new StatusTracker('exec');
    status.start(0);
    status.taskStarted('loop', '/do/0/loop', 'for', 0);
    for (let i = 0; i < 5_000; i++) {
      status.taskStarted('step', '/do/0/loop/for/do/0/step', 'set', i);
      status.taskEnded('/do/0/loop/for/do/0/step', 'COMPLETED', i);
    }
    const snapshot = status.snapshot();
    expect(snapshot.tasks.length).toBeLessThanOrEqual(MAX_TASK_ENTRIES + 100);
    expect(snapshot.tasks[0]).toEqual({ name: 'loop', path: '/do/0/loop', kind: 'for', phase: 'RUNNING', startedAt: '1970-01-01T00:00:00.000Z' });
  });

  test('pause and resume restore the phase; the snapshot survives a continue-as-new', () => {
    const status = new StatusTracker('exec');
    status.start(Date.parse('2026-01-01T00:00:00.000Z'));
    status.taskStarted('wait', '/do/0/wait', 'wait', Date.parse('2026-01-01T00:00:01.000Z'));
    status.pause();
    expect(status.snapshot().phase).toBe('PAUSED');
    const carried = new StatusTracker('exec', JSON.parse(JSON.stringify(status.snapshot())));
    expect(carried.snapshot().phase).toBe('PAUSED');
    carried.resume();
    expect(carried.snapshot()).toMatchObject({ phase: 'IN_PROGRESS', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(carried.snapshot().tasks).toEqual(status.snapshot().tasks);
    carried.taskEnded('/do/0/wait', 'COMPLETED', Date.parse('2026-01-01T00:00:02.000Z'));
    expect(carried.snapshot().tasks[0]).toMatchObject({ phase: 'COMPLETED', completedAt: '2026-01-01T00:00:02.000Z' });
  });
});
