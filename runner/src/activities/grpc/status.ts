/**
 * gRPC status codes → Serverless Workflow errors. The error's `status` is the gRPC code itself
 * (14 for UNAVAILABLE) and its title the code's name, so `catch` can filter on either; the type
 * follows the code's meaning. Transient codes are retried by the activity retry policy.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ApplicationFailure } from '@temporalio/common';
import { callFailure } from '../call-policy.ts';
import type { ErrorKind } from '../call-policy.ts';

const KINDS: Partial<Record<GrpcStatus, ErrorKind>> = {
  [GrpcStatus.UNAUTHENTICATED]: 'authentication',
  [GrpcStatus.PERMISSION_DENIED]: 'authorization',
  [GrpcStatus.INVALID_ARGUMENT]: 'validation',
  [GrpcStatus.OUT_OF_RANGE]: 'validation',
  [GrpcStatus.FAILED_PRECONDITION]: 'validation',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'timeout',
};

const TRANSIENT = new Set<GrpcStatus>([GrpcStatus.UNAVAILABLE, GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.ABORTED, GrpcStatus.DEADLINE_EXCEEDED]);

export function grpcStatusFailure(code: number, message: string, what: string, instance: string): ApplicationFailure {
  const name = GrpcStatus[code] ?? `STATUS_${code}`;
  return callFailure({
    kind: KINDS[code as GrpcStatus] ?? 'communication',
    status: code,
    title: name,
    detail: `${what} answered ${name} (${code})${message ? `: ${message.slice(0, 500)}` : ''}`,
    instance,
    retryable: TRANSIENT.has(code as GrpcStatus),
  });
}
