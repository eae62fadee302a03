/**
 * The workflow's side of authentication: it only forwards the policy with what evaluating it
 * needs. The policy is evaluated, and tokens obtained, in the call's activity, so no credential or
 * token enters history. Any call kind passes the result in its activity input.
 */
import type { AuthenticationPolicy } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from '../contract/index.ts';
import type { ExpressionArguments } from './expressions.ts';
import type { Execution } from './interpreter.ts';

export function authenticationArguments(policy: AuthenticationPolicy, input: unknown, args: ExpressionArguments, execution: Execution): AuthenticationArguments {
  return {
    policy,
    data: input,
    variables: execution.evaluator.bindings([policy.properties], args),
    now: Date.now() / 1000,
    declared: execution.plan.secrets,
  };
}
