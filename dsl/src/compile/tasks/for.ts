import { joinPointer } from '../../parse/pointer.ts';
import type { ForTask } from '../../plan.ts';
import { variableName } from '../../document/variable-name.ts';
import { runtimeExpression } from '../expressions.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const forTask: TaskCompiler = (site, base): ForTask => {
  const { ctx, pointer } = site;
  const loop = asObject(site.body.for)!;
  const condition = runtimeExpression(ctx, site.body.while);
  return {
    ...base,
    kind: 'for',
    each: variableName(loop.each, 'item'),
    at: variableName(loop.at, 'index'),
    in: runtimeExpression(ctx, loop.in)!,
    ...(condition ? { while: condition } : {}),
    do: compileTaskList(ctx, site.body.do, joinPointer(pointer, 'do')),
  };
};
