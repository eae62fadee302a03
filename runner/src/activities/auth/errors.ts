/** The failures authentication raises, as the spec's errors carrying the task reference. */
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowError } from '../../workflow/contract.ts';

const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';

export type AuthenticationFailureKind = 'authentication' | 'communication' | 'configuration';

export interface AuthenticationProblem {
  readonly kind: AuthenticationFailureKind;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** Only transient trouble (an unreachable or failing server) is worth another attempt. */
  readonly retryable?: boolean;
}

export function authenticationFailure(problem: AuthenticationProblem, instance: string): ApplicationFailure {
  const error: WorkflowError = { type: `${ERRORS}${problem.kind}`, status: problem.status, title: problem.title, detail: problem.detail, instance };
  return ApplicationFailure.create({ type: error.type, message: problem.detail, nonRetryable: !problem.retryable, details: [error] });
}
