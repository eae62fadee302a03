/**
 * `call: <name>:<version>@<catalog>`: the catalog must be one of `use.catalogs` (or `default`, the
 * runner's own) with a fixed http, https or file endpoint; the function itself is read and
 * compiled by the runner when the task runs.
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { CatalogFunctionCallTask } from '../../plan.ts';
import { isStrictExpression, template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { didYouMean } from '../../document/suggest.ts';

/** The runner's default catalog, unless the document defines one by that name. */
const DEFAULT_CATALOG = 'default';

export function catalogFunctionCall(site: TaskSite, base: TaskBaseFields, name: string, version: string, catalog: string): CatalogFunctionCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const callPointer = joinPointer(pointer, 'call');
  let endpoint: string | undefined;
  if (Object.hasOwn(ctx.components.catalogs, catalog)) {
    const catalogPointer = joinPointer('/use/catalogs', catalog, 'endpoint');
    const written = asObject(ctx.components.catalogs[catalog])?.endpoint;
    const object = asObject(written);
    if (object?.authentication !== undefined) {
      ctx.error('SW501', joinPointer(catalogPointer, 'authentication'), 'reading a catalog with credentials is not supported yet', { atKey: true });
      return undefined;
    }
    const uri = object ? object.uri : written;
    if (typeof uri !== 'string') return undefined;
    if (isStrictExpression(uri) || !/^(https?|file):/i.test(uri)) {
      ctx.error('SW501', object ? joinPointer(catalogPointer, 'uri') : catalogPointer, `a catalog endpoint must be a fixed http, https or file URI, not '${uri}'`);
      return undefined;
    }
    endpoint = uri;
  } else if (catalog !== DEFAULT_CATALOG) {
    ctx.error('SW304', callPointer, `no catalog named '${catalog}' in use.catalogs`, {
      hint: didYouMean(catalog, Object.keys(ctx.components.catalogs)) ?? `define it under use.catalogs, or use the runner's catalog: ${name}:${version}@${DEFAULT_CATALOG}`,
    });
    return undefined;
  }
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.catalog',
    function: name,
    version,
    catalog,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args, joinPointer(pointer, 'with'), scope) } : {}),
  };
}
