import { joinPointer } from '../../parse/pointer.ts';
import type { ForkTask } from '../../plan.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asBoolean, asObject } from '../../document/values.ts';

export const forkTask: TaskCompiler = (site, base): ForkTask | undefined => {
  const fork = asObject(site.body.fork);
  if (!fork) return undefined;
  const forkPointer = joinPointer(site.pointer, 'fork');
  return {
    ...base,
    kind: 'fork',
    branches: compileTaskList(site.ctx, fork.branches, joinPointer(forkPointer, 'branches'), site.scope, site.siblings),
    compete: asBoolean(fork.compete) ?? false,
  };
};
