/** The failures authentication raises, as the spec's errors carrying the task reference. */
import type { ApplicationFailure } from '@temporalio/common';
import { problemFailure, StandardError } from '../../contract/index.ts';

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
  const { kind, status, title, detail } = problem;
  return problemFailure({ type: StandardError[kind].type, status, title, detail, instance }, { nonRetryable: !problem.retryable });
}
