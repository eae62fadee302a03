import { joinPointer } from '../../parse/pointer.ts';
import { checkRuntimeExpression, extendScope } from '../expressions.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules } from '../task-site.ts';
import { checkVariableName } from '../variable-name.ts';
import { asObject } from '../../document/values.ts';

export const checkForTask: TaskRules = (site) => {
  const { ctx, pointer, scope } = site;
  const loop = asObject(site.body.for);
  if (!loop) return;
  const forPointer = joinPointer(pointer, 'for');
  const each = checkVariableName(ctx, loop.each, 'item', joinPointer(forPointer, 'each'));
  const at = checkVariableName(ctx, loop.at, 'index', joinPointer(forPointer, 'at'));
  checkRuntimeExpression(ctx, loop.in, joinPointer(forPointer, 'in'), scope);
  const inner = extendScope(scope, each, at);
  checkRuntimeExpression(ctx, site.body.while, joinPointer(pointer, 'while'), inner);
  checkTaskList(ctx, site.body.do, joinPointer(pointer, 'do'), inner, site.siblings);
};
