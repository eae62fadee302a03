import type { WaitTask } from '../../plan.ts';
import { isStrictExpression } from '../../document/expression-checker.ts';
import { asObject } from '../../document/values.ts';
import { duration } from '../durations.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';

export const waitTask: TaskCompiler = (site, base): WaitTask => {
  const body = asObject(site.body.wait);
  if (body && Object.hasOwn(body, 'until')) {
    // Zigflow's `wait.until`: a written instant stays literal, a computed one is resolved when it runs.
    const until = body.until;
    return { ...base, kind: 'wait', duration: { kind: 'until', value: isStrictExpression(until) ? template(site.ctx, until) : { kind: 'literal', value: until } } };
  }
  return { ...base, kind: 'wait', duration: duration(site.ctx, site.body.wait)! };
};
