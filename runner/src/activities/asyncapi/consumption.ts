/**
 * A subscription's consumption policy, applied to each message as it arrives: `filter` drops
 * messages, `until` (true) stops before keeping the message, `amount` stops once that many were
 * kept, `while` (false) stops after keeping it. The expressions read the message as `.` and the
 * runtime arguments the workflow bound for them.
 */
import { compileJq, WORKFLOW_JQ_OPTIONS } from '@baton/dsl/runtime';
import type { Expression } from '@baton/dsl/runtime';
import { problemFailure, StandardError } from '../../contract/index.ts';
import type { AsyncApiInboundMessage, AsyncApiSubscribe } from '../../contract/index.ts';

export interface Consumption {
  /** Offers one arriving message; answers true once consumption is over. */
  offer(message: AsyncApiInboundMessage): boolean;
  /** The messages kept, in arrival order. */
  readonly messages: readonly AsyncApiInboundMessage[];
}

export function createConsumption(policy: AsyncApiSubscribe, instance: string, now: () => number = Date.now): Consumption {
  const programs = new Map<string, ReturnType<typeof compileJq>>();
  const test = (expression: Expression, message: AsyncApiInboundMessage, field: string): boolean => {
    let program = programs.get(expression.jq);
    try {
      if (!program) {
        program = compileJq(expression.jq, WORKFLOW_JQ_OPTIONS);
        programs.set(expression.jq, program);
      }
      const [value] = program.run(message, policy.variables, { now: now() / 1000, env: {} });
      return value !== undefined && value !== false && value !== null;
    } catch (error) {
      throw problemFailure({
        type: StandardError.expression.type,
        status: 400,
        title: 'Runtime expression failed',
        detail: `subscription ${field}: ${(error as Error).message} in \${ ${expression.jq.slice(0, 120)} }`,
        instance,
      });
    }
  };
  const messages: AsyncApiInboundMessage[] = [];
  let over = false;
  return {
    messages,
    offer(message) {
      if (over) return true;
      if (policy.filter && !test(policy.filter, message, 'filter')) return false;
      if (policy.until && test(policy.until, message, 'until')) return (over = true);
      messages.push(message);
      if (policy.amount !== undefined && messages.length >= policy.amount) return (over = true);
      if (policy.while && !test(policy.while, message, 'while')) return (over = true);
      return false;
    },
  };
}
