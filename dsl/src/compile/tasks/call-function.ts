/**
 * `call: <name>` of a function in `use.functions`: the definition is compiled once, where it is
 * written (its diagnostics point there), and each call carries it with its `with` arguments.
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { FunctionCallTask } from '../../plan.ts';
import { ROOT_SCOPE, template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { compileTask } from '../task-list.ts';

export function functionCall(site: TaskSite, base: TaskBaseFields, name: string): FunctionCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const definitionPointer = joinPointer('/use/functions', name);
  if (ctx.compilingFunctions.has(name)) {
    ctx.error('SW307', joinPointer(pointer, 'call'), `the function '${name}' calls itself: a function may not call itself, directly or through others`);
    return undefined;
  }
  if (!ctx.functionTasks.has(name)) {
    const definition = asObject(ctx.components.functions[name]);
    ctx.compilingFunctions.add(name);
    // Defined at the top of the document: it sees no loop or catch variables of the caller.
    const task = definition ? compileTask(ctx, name, definition, definitionPointer, { names: new Map() }, ROOT_SCOPE) : undefined;
    ctx.compilingFunctions.delete(name);
    ctx.functionTasks.set(name, task ?? null);
  }
  const body = ctx.functionTasks.get(name);
  if (!body) return undefined;
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.function',
    function: name,
    ...(args !== undefined ? { arguments: template(ctx, args, joinPointer(pointer, 'with'), scope) } : {}),
    body,
  };
}
