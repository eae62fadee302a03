import { joinPointer } from '../../parse/pointer.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules } from '../task-site.ts';

export const checkDoTask: TaskRules = (site) => checkTaskList(site.ctx, site.body.do, joinPointer(site.pointer, 'do'), site.scope, site.siblings);
