import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskRules } from '../task-site.ts';

export const checkSetTask: TaskRules = (site) => checkTemplate(site.ctx, site.body.set, joinPointer(site.pointer, 'set'), site.scope);
