import { joinPointer } from '../../parse/pointer.ts';
import type { CatchSpec, ErrorFilter, TryTask } from '../../plan.ts';
import { variableName } from '../../document/variable-name.ts';
import { runtimeExpression } from '../expressions.ts';
import { retryPolicy } from '../retry.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asNumber, asObject, asString } from '../../document/values.ts';

export const tryTask: TaskCompiler = (site, base): TryTask => {
  const { ctx, pointer } = site;
  const handler = asObject(site.body.catch) ?? {};
  const filter = errorFilter(asObject(asObject(handler.errors)?.with));
  const when = runtimeExpression(ctx, handler.when);
  const exceptWhen = runtimeExpression(ctx, handler.exceptWhen);
  const retry = handler.retry === undefined ? undefined : retryPolicy(ctx, handler.retry);
  const spec: CatchSpec = {
    ...(filter ? { with: filter } : {}),
    as: variableName(handler.as, 'error'),
    ...(when ? { when } : {}),
    ...(exceptWhen ? { exceptWhen } : {}),
    ...(retry ? { retry } : {}),
    ...(handler.do === undefined ? {} : { do: compileTaskList(ctx, handler.do, joinPointer(pointer, 'catch', 'do')) }),
  };
  return { ...base, kind: 'try', try: compileTaskList(ctx, site.body.try, joinPointer(pointer, 'try')), catch: spec };
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
