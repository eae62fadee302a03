import { joinPointer } from '../../parse/pointer.ts';
import type { CatchSpec, ErrorFilter, TryTask } from '../../plan.ts';
import { extendScope, runtimeExpression } from '../expressions.ts';
import { retryPolicy } from '../retry.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asNumber, asObject, asString } from '../../document/values.ts';
import { variableName } from './for.ts';

export const tryTask: TaskCompiler = (site, base): TryTask => {
  const { ctx, pointer, scope } = site;
  const attempt = compileTaskList(ctx, site.body.try, joinPointer(pointer, 'try'), scope, site.siblings);
  const handler = asObject(site.body.catch) ?? {};
  const catchPointer = joinPointer(pointer, 'catch');
  const at = (key: string) => joinPointer(catchPointer, key);
  const as = variableName(ctx, handler.as, 'error', at('as'));
  const inner = extendScope(scope, as);
  const filter = errorFilter(asObject(asObject(handler.errors)?.with));
  const when = runtimeExpression(ctx, handler.when, at('when'), inner);
  const exceptWhen = runtimeExpression(ctx, handler.exceptWhen, at('exceptWhen'), inner);
  const retry = handler.retry === undefined ? undefined : retryPolicy(ctx, handler.retry, at('retry'), inner);
  const recovery = handler.do === undefined ? undefined : compileTaskList(ctx, handler.do, at('do'), inner, site.siblings);
  const spec: CatchSpec = {
    ...(filter ? { with: filter } : {}),
    as,
    ...(when ? { when } : {}),
    ...(exceptWhen ? { exceptWhen } : {}),
    ...(retry ? { retry } : {}),
    ...(recovery ? { do: recovery } : {}),
  };
  return { ...base, kind: 'try', try: attempt, catch: spec };
};

function errorFilter(value: Readonly<Record<string, unknown>> | undefined): ErrorFilter | undefined {
  if (!value) return undefined;
  const text = (key: string) => {
    const field = asString(value[key]);
    return field === undefined ? {} : { [key]: field };
  };
  const status = asNumber(value.status);
  return { ...text('type'), ...(status !== undefined ? { status } : {}), ...text('instance'), ...text('title'), ...text('details') };
}
