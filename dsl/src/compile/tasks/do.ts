import { joinPointer } from '../../parse/pointer.ts';
import type { DoTask } from '../../plan.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';

export const doTask: TaskCompiler = (site, base): DoTask => ({
  ...base,
  kind: 'do',
  do: compileTaskList(site.ctx, site.body.do, joinPointer(site.pointer, 'do')),
});
