/**
 * `call: <name>:<version>@<catalog>`: the catalog must be one of `use.catalogs` (or `default`, the
 * runner's own) with a fixed http, https or file endpoint; the function itself is read and
 * checked by the runner when the task runs.
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { DEFAULT_CATALOG } from '../../document/call-target.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { didYouMean } from '../../document/suggest.ts';

export function checkCatalogFunctionCall(site: TaskSite, name: string, version: string, catalog: string): void {
  const { ctx, pointer, scope } = site;
  if (Object.hasOwn(ctx.components.catalogs, catalog)) {
    const catalogPointer = joinPointer('/use/catalogs', catalog, 'endpoint');
    const written = asObject(ctx.components.catalogs[catalog])?.endpoint;
    const object = asObject(written);
    if (object?.authentication !== undefined) {
      ctx.error('SW501', joinPointer(catalogPointer, 'authentication'), 'reading a catalog with credentials is not supported yet', { atKey: true });
      return;
    }
    const uri = object ? object.uri : written;
    if (typeof uri !== 'string') return;
    if (isStrictExpression(uri) || !/^(https?|file):/i.test(uri)) {
      ctx.error('SW501', object ? joinPointer(catalogPointer, 'uri') : catalogPointer, `a catalog endpoint must be a fixed http, https or file URI, not '${uri}'`);
      return;
    }
  } else if (catalog !== DEFAULT_CATALOG) {
    ctx.error('SW304', joinPointer(pointer, 'call'), `no catalog named '${catalog}' in use.catalogs`, {
      hint: didYouMean(catalog, Object.keys(ctx.components.catalogs)) ?? `define it under use.catalogs, or use the runner's catalog: ${name}:${version}@${DEFAULT_CATALOG}`,
    });
    return;
  }
  if (site.body.with !== undefined) checkTemplate(ctx, site.body.with, joinPointer(pointer, 'with'), scope);
}
