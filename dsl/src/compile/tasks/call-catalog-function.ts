/** `call: <name>:<version>@<catalog>` → the function's coordinates and its catalog's endpoint; the runner reads and compiles the function when the task runs. */
import type { CatalogFunctionCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export function catalogFunctionCall(site: TaskSite, base: TaskBaseFields, name: string, version: string, catalog: string): CatalogFunctionCallTask {
  const { ctx } = site;
  const written = Object.hasOwn(ctx.components.catalogs, catalog) ? asObject(ctx.components.catalogs[catalog])?.endpoint : undefined;
  const endpoint = asObject(written)?.uri ?? written;
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.catalog',
    function: name,
    version,
    catalog,
    ...(typeof endpoint === 'string' ? { endpoint } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args) } : {}),
  };
}
