import { joinPointer } from '../../parse/pointer.ts';
import type { RaiseTask } from '../../plan.ts';
import { errorSpec } from '../error-spec.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const raiseTask: TaskCompiler = (site, base): RaiseTask | undefined => {
  const raise = asObject(site.body.raise);
  if (!raise) return undefined;
  const error = errorSpec(site.ctx, raise.error, joinPointer(site.pointer, 'raise', 'error'), site.scope);
  return error ? { ...base, kind: 'raise', error } : undefined;
};
