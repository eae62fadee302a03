import { joinPointer } from '../../parse/pointer.ts';
import type { ForkTask } from '../../plan.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asBoolean, asObject } from '../../document/values.ts';

export const forkTask: TaskCompiler = (site, base): ForkTask => {
  const fork = asObject(site.body.fork)!;
  return {
    ...base,
    kind: 'fork',
    branches: compileTaskList(site.ctx, fork.branches, joinPointer(site.pointer, 'fork', 'branches')),
    compete: asBoolean(fork.compete) ?? false,
  };
};
