/**
 * The validators' side of the execution Updates: when a change is refused, and how the refusal
 * travels (an ApplicationFailure the service turns into a gRPC status).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { UPDATE_REJECTED_FAILURE_TYPE } from './contract.ts';
import type { ExecutionPhase, UpdateRejection } from './contract.ts';

const ENDED: ReadonlySet<ExecutionPhase> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export function hasEnded(phase: ExecutionPhase): boolean {
  return ENDED.has(phase);
}

/** Why a change to the execution must be refused right now, or undefined to accept it. */
export function changeRejection(phase: ExecutionPhase, terminating: boolean): UpdateRejection | undefined {
  if (hasEnded(phase)) return { reason: 'ended', phase };
  if (terminating) return { reason: 'terminating' };
  return undefined;
}

/** Throws the refusal, for a validator. */
export function refuse(rejection: UpdateRejection | undefined): void {
  if (!rejection) return;
  const message = rejection.reason === 'ended' ? `the execution already ended ${rejection.phase}` : 'the execution is being terminated';
  throw ApplicationFailure.create({ type: UPDATE_REJECTED_FAILURE_TYPE, message, details: [rejection], nonRetryable: true });
}
