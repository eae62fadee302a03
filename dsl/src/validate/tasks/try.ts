import { joinPointer } from '../../parse/pointer.ts';
import { checkRuntimeExpression, extendScope } from '../expressions.ts';
import { checkRetryPolicy } from '../retry.ts';
import { checkTaskList } from '../task-list.ts';
import type { TaskRules } from '../task-site.ts';
import { checkVariableName } from '../variable-name.ts';
import { asObject } from '../../document/values.ts';

export const checkTryTask: TaskRules = (site) => {
  const { ctx, pointer, scope } = site;
  checkTaskList(ctx, site.body.try, joinPointer(pointer, 'try'), scope, site.siblings);
  const handler = asObject(site.body.catch) ?? {};
  const at = (key: string) => joinPointer(pointer, 'catch', key);
  const inner = extendScope(scope, checkVariableName(ctx, handler.as, 'error', at('as')));
  checkRuntimeExpression(ctx, handler.when, at('when'), inner);
  checkRuntimeExpression(ctx, handler.exceptWhen, at('exceptWhen'), inner);
  if (handler.retry !== undefined) checkRetryPolicy(ctx, handler.retry, at('retry'), inner);
  if (handler.do !== undefined) checkTaskList(ctx, handler.do, at('do'), inner, site.siblings);
};
