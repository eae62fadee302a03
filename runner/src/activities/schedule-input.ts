/**
 * The input of the runs a deployment's schedule starts: `{}`, or Zigflow's `scheduleInput`
 * evaluated with the runner's `$env` when the schedule is written (Zigflow evaluates it when it
 * registers the schedule). Validation allows nothing but `$env` in it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { compileJq, WORKFLOW_JQ_OPTIONS } from '@baton/dsl/runtime';
import type { Template } from '@baton/dsl/runtime';

export function scheduledRunInput(template: Template | undefined, env: Readonly<Record<string, string>> | undefined): unknown {
  return template ? evaluate(template, env ?? {}) : {};
}

function evaluate(template: Template, env: Readonly<Record<string, string>>): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'object':
      return Object.fromEntries(template.entries.map(([key, entry]) => [key, evaluate(entry, env)]));
    case 'array':
      return template.items.map((item) => evaluate(item, env));
    case 'expr': {
      try {
        // jq's own ENV is the empty object, as in every workflow expression: the host's environment stays out.
        const outputs = compileJq(template.expr.jq, WORKFLOW_JQ_OPTIONS).run(null, { env }, { env: {} });
        return outputs.length === 0 ? null : outputs[0];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw ApplicationFailure.nonRetryable(`scheduleInput \${ ${template.expr.jq} } failed: ${message}`, 'SCHEDULE_INPUT_INVALID');
      }
    }
  }
}
