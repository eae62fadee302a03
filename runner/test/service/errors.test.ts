/**
 * Error answers (pure logic): Temporal's and the transport's errors get the code a caller can act
 * on, and an answer stays encodable and bounded whatever the request contained.
 */
import { describe, expect, test } from 'bun:test';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ANSWER_LIMITS, DIAGNOSTICS_TRAILER, invalidArgument, RETRY_AFTER_TRAILER, RpcError, toRpcError, toServiceError } from '../../src/service/errors.ts';

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('Temporal and transport errors', () => {
  test('size limits are INVALID_ARGUMENT naming the input, not INTERNAL', () => {
    const err = new Error('Failed to start Workflow', { cause: grpcError(GrpcStatus.INVALID_ARGUMENT, 'Blob data size exceeds limit.') });
    const rpc = toRpcError(err);
    expect(rpc.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(rpc.problems[0]?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('transient transport failures are UNAVAILABLE, whatever code the native client gave them', () => {
    for (const err of [
      grpcError(GrpcStatus.INTERNAL, 'h2 protocol error: error reading a body from connection'),
      grpcError(GrpcStatus.UNKNOWN, 'transport error'),
      new Error('Connection reset by peer (os error 104)'),
      grpcError(GrpcStatus.DEADLINE_EXCEEDED, 'Timeout expired'),
      grpcError(GrpcStatus.UNAVAILABLE, 'tcp connect error'),
    ]) {
      expect(toRpcError(err).code).toBe(GrpcStatus.UNAVAILABLE);
    }
  });

  test("Temporal's rate limit is RESOURCE_EXHAUSTED with a retry hint", () => {
    const rpc = toRpcError(grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'namespace rate limit exceeded'));
    expect(rpc.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(rpc.retryAfterMs).toBeGreaterThan(0);
    const answer = toServiceError(rpc);
    expect(answer.metadata?.get(RETRY_AFTER_TRAILER)).toEqual([String(rpc.retryAfterMs)]);
  });

  test("an Update meeting a failed or timed-out workflow task is UNAVAILABLE with a sentence, not INTERNAL", () => {
    // As the client throws it: Temporal's WorkflowNotReady (FAILED_PRECONDITION) under its own wrapper.
    const notReady = new ServiceError('Workflow Update failed', {
      cause: grpcError(GrpcStatus.FAILED_PRECONDITION, '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'),
    });
    const rpc = toRpcError(notReady);
    expect(rpc.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(rpc.message).toContain('workflow task failed or timed out');
    expect(rpc.message).toContain('try again');
    // The Update call cut short by Temporal before the runner's own deadline.
    const cutShort = new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', { cause: grpcError(GrpcStatus.CANCELLED, 'cancelled') });
    expect(toRpcError(cutShort).code).toBe(GrpcStatus.UNAVAILABLE);
    expect(toRpcError(cutShort).message).toContain('did not answer the change in time');
    // Another precondition Temporal refuses stays a bug to look at.
    expect(toRpcError(new ServiceError('x', { cause: grpcError(GrpcStatus.FAILED_PRECONDITION, 'something else') })).code).toBe(GrpcStatus.INTERNAL);
  });

  test('only what nothing explains is INTERNAL, and it is reported as a bug', () => {
    const bugs: unknown[] = [];
    const answer = toServiceError(new TypeError('x is undefined'), (bug) => bugs.push(bug));
    expect(answer.code).toBe(GrpcStatus.INTERNAL);
    expect(bugs).toHaveLength(1);
  });
});

describe('answers stay encodable and bounded', () => {
  test('non-ASCII diagnostics travel escaped and read back the same', () => {
    const answer = toServiceError(invalidArgument([{ field: 'workflow_yaml', code: 'SW001', message: "property 'nö' ≥ 😀" }]));
    const raw = String(answer.metadata?.get(DIAGNOSTICS_TRAILER)[0]);
    expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(raw)[0].message).toBe("property 'nö' ≥ 😀");
    // grpc-js accepts it: setting it on fresh metadata would throw otherwise.
    expect(() => new Metadata().set(DIAGNOSTICS_TRAILER, raw)).not.toThrow();
  });

  test('a message quoting half an emoji is answered with its sentence, not INTERNAL', () => {
    const answer = toServiceError(invalidArgument([{ field: 'workflow_yaml', code: 'SW400', message: 'jq syntax error near "\\(.name\uD83D"' }]));
    expect(answer.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(answer.details).toContain('SW400');
    expect(answer.details).toContain('\uFFFD');
  });

  test('thousands of huge problems: every trailer clipped, the whole under 8 KiB', () => {
    const problems = Array.from({ length: 5_000 }, (_, i) => ({ field: 'workflow_yaml', code: 'SW100', message: `${'é'.repeat(16_000)} ${i}`, pointer: `/${'k'.repeat(16_000)}` }));
    const answer = toServiceError(invalidArgument(problems));
    const diagnostics = String(answer.metadata?.get(DIAGNOSTICS_TRAILER)[0]);
    const details = answer.metadata?.get('grpc-status-details-bin')[0] as Buffer;
    expect(diagnostics.length).toBeLessThanOrEqual(ANSWER_LIMITS.diagnosticsBytes);
    expect(JSON.parse(diagnostics).length).toBeGreaterThan(0);
    expect(details.length).toBeLessThanOrEqual(ANSWER_LIMITS.statusDetailsBytes);
    const total = encodeURIComponent(answer.details).length + diagnostics.length + details.toString('base64').length;
    expect(total).toBeLessThan(8 * 1024);
  });

  test('a failure while building the answer still answers INTERNAL with a sentence', () => {
    const hostile = new RpcError(GrpcStatus.INVALID_ARGUMENT, 'bad', [
      {
        field: 'x',
        code: 'X',
        get message(): string {
          throw new Error('boom');
        },
      },
    ]);
    const answer = toServiceError(hostile);
    expect(answer.code).toBe(GrpcStatus.INTERNAL);
    expect(answer.details).toContain('could not describe');
  });
});
