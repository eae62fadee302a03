import { joinPointer } from '../../parse/pointer.ts';
import { checkErrorSpec } from '../error-spec.ts';
import type { TaskRules } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const checkRaiseTask: TaskRules = (site) => {
  const raise = asObject(site.body.raise);
  if (raise) checkErrorSpec(site.ctx, raise.error, joinPointer(site.pointer, 'raise', 'error'), site.scope);
};
