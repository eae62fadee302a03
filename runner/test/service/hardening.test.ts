/**
 * Requests that once took the runner down or broke its connection (issue 11), over real gRPC
 * against a real Temporal: each is answered INVALID_ARGUMENT with readable diagnostics, other
 * calls on the same connection are unaffected, and the service still answers afterwards.
 * Before the fix, the first three threw inside the handler's rejection path (grpc-js refuses
 * non-ASCII metadata) — an unhandled rejection that ended the process.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
const MAX_INPUT_DEPTH = 32;
import { startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { diagnostics, rejection, statusDetails, trailerBytes } from './support/wire.ts';
import { HELLO } from './support/workflows.ts';

setDefaultTimeout(30_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, 'service');
});
afterAll(async () => {
  await stack?.stop();
});

const HEADER = "document: { dsl: '1.0.0', namespace: test, name: hardening, version: '1.0.0' }";

async function refused(workflowYaml: string, input?: Record<string, unknown>) {
  const error = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('hard'), workflowYaml, ...(input ? { input } : {}) }));
  expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  return error;
}

describe('answers with characters metadata cannot carry', () => {
  test('a top-level key `nö` is INVALID_ARGUMENT with the key intact in the diagnostics', async () => {
    const error = await refused(`${HEADER}\nnö: 1\ndo:\n  - a:\n      set: { x: 1 }\n`);
    expect(diagnostics(error)[0]?.message).toContain("'nö'");
    expect(error.details).toContain('nö');
  });

  test('maximumAttempts: -1 (the message says "≥") is INVALID_ARGUMENT', async () => {
    const yaml = `document:\n  dsl: '1.0.0'\n  namespace: test\n  name: x\n  version: '1.0.0'\n  metadata:\n    activityOptions:\n      retryPolicy:\n        maximumAttempts: -1\ndo:\n  - a:\n      set: { x: 1 }\n`;
    const error = await refused(yaml);
    expect(diagnostics(error)[0]?.message).toContain('≥');
  });

  test('a duration field over 40 characters (the message gets "…") is INVALID_ARGUMENT', async () => {
    const yaml = `document:\n  dsl: '1.0.0'\n  namespace: test\n  name: x\n  version: '1.0.0'\n  metadata:\n    activityOptions:\n      startToCloseTimeout: { seconds: '${'x'.repeat(50)}' }\ndo:\n  - a:\n      set: { x: 1 }\n`;
    const error = await refused(yaml);
    expect(diagnostics(error)[0]?.message).toContain('…');
  });
});

test('a 16,000-character key: INVALID_ARGUMENT, bounded trailers, 90 concurrent calls on the same connection unaffected', async () => {
  const others = Array.from({ length: 90 }, () => rejection(stack.client.getExecution(uniqueName('ghost'))));
  const error = await refused(`${HEADER}\n${'k'.repeat(16_000)}: 1\ndo:\n  - a:\n      set: { x: 1 }\n`);
  expect(trailerBytes(error)).toBeLessThan(8 * 1024);
  expect(diagnostics(error)[0]?.message.length).toBeLessThan(400);
  expect(statusDetails(error)?.details[0]?.type_url).toBe('type.googleapis.com/google.rpc.BadRequest');
  const codes = (await Promise.all(others)).map((other) => other.code);
  expect(codes.filter((code) => code !== GrpcStatus.NOT_FOUND)).toEqual([]);
});

describe('input nesting', () => {
  const nested = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: true };
    for (let level = 1; level < levels; level++) value = { next: value };
    return value;
  };

  test(`${MAX_INPUT_DEPTH} levels are accepted; 34 are INVALID_ARGUMENT naming the limit, not "not a valid protobuf message"`, async () => {
    const ok = await stack.client.executeAsync({ workflowExecutionId: uniqueName('deep-ok'), workflowYaml: HELLO, input: nested(MAX_INPUT_DEPTH) });
    expect(ok.status).toBe('running');
    const error = await refused(HELLO, nested(34));
    expect(diagnostics(error)).toEqual([expect.objectContaining({ field: 'input', code: 'INPUT_TOO_DEEP' })]);
    expect(error.details).toContain(`at most ${MAX_INPUT_DEPTH}`);
  });

  test('arrays count as levels, and a depth of 1,500 is refused the same way', async () => {
    let list: unknown = 1;
    for (let level = 0; level < 40; level++) list = [list];
    expect(diagnostics(await refused(HELLO, { list }))[0]?.code).toBe('INPUT_TOO_DEEP');
    expect(diagnostics(await refused(HELLO, nested(1_500)))[0]?.code).toBe('INPUT_TOO_DEEP');
  });
});

test("an input over Temporal's blob limit is INVALID_ARGUMENT (PAYLOAD_TOO_LARGE), not INTERNAL", async () => {
  const error = await refused(HELLO, { blob: 'x'.repeat(2_500_000) });
  expect(diagnostics(error)[0]?.code).toBe('PAYLOAD_TOO_LARGE');
});

test('after all of it the service still answers', async () => {
  const answer = await stack.client.executeAsync({ workflowExecutionId: uniqueName('after'), workflowYaml: HELLO });
  expect(answer.message).toBe('started');
});
