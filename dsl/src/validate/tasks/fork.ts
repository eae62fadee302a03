import { joinPointer } from '../../parse/pointer.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const checkForkTask: TaskRules = (site) => {
  const fork = asObject(site.body.fork);
  if (fork) checkTaskList(site.ctx, fork.branches, joinPointer(site.pointer, 'fork', 'branches'), site.scope, site.siblings);
};
