/**
 * Refusing an execution Update: when a change is refused (the validators' side), and the refusal's
 * one conversion to and from the ApplicationFailure that carries it to the service.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { UPDATE_REJECTED_FAILURE_TYPE } from './interpreter.ts';
import type { ExecutionPhase, UpdateRejection } from './interpreter.ts';

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

/** The refusal an Update failure carries, or undefined when it is some other failure. */
export function rejectionOf(failure: unknown): UpdateRejection | undefined {
  if (!(failure instanceof ApplicationFailure) || failure.type !== UPDATE_REJECTED_FAILURE_TYPE) return undefined;
  const detail = failure.details?.[0] as Partial<UpdateRejection> | undefined;
  if (detail?.reason === 'terminating') return { reason: 'terminating' };
  if (detail?.reason === 'ended' && typeof detail.phase === 'string') return { reason: 'ended', phase: detail.phase };
  return undefined;
}
