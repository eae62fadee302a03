/**
 * `call: <name>` of a function in `use.functions`: the definition is checked once, where it is
 * written (its diagnostics point there); a function may not call itself, directly or not.
 */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate, ROOT_SCOPE } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { checkTask } from '../task-list.ts';

export function checkFunctionCall(site: TaskSite, name: string): void {
  const { ctx, pointer, scope } = site;
  if (ctx.checkingFunctions.has(name)) {
    ctx.error('SW307', joinPointer(pointer, 'call'), `the function '${name}' calls itself: a function may not call itself, directly or through others`);
    return;
  }
  if (!ctx.checkedFunctions.has(name)) {
    const definition = asObject(ctx.components.functions[name]);
    ctx.checkingFunctions.add(name);
    // Defined at the top of the document: it sees no loop or catch variables of the caller.
    if (definition) checkTask(ctx, name, definition, joinPointer('/use/functions', name), { names: new Map() }, ROOT_SCOPE);
    ctx.checkingFunctions.delete(name);
    ctx.checkedFunctions.add(name);
  }
  if (site.body.with !== undefined) checkTemplate(ctx, site.body.with, joinPointer(pointer, 'with'), scope);
}
