/** `call: <name>` of a function in `use.functions`: the definition is compiled once and each call carries it with its `with` arguments. */
import { joinPointer } from '../../parse/pointer.ts';
import type { FunctionCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { compileTask } from '../task-list.ts';

export function functionCall(site: TaskSite, base: TaskBaseFields, name: string): FunctionCallTask {
  const { ctx } = site;
  let body = ctx.functionTasks.get(name);
  if (!body) {
    body = compileTask(ctx, name, asObject(ctx.components.functions[name])!, joinPointer('/use/functions', name), new Map());
    ctx.functionTasks.set(name, body);
  }
  const args = site.body.with;
  return { ...base, kind: 'call.function', function: name, ...(args !== undefined ? { arguments: template(ctx, args) } : {}), body };
}
