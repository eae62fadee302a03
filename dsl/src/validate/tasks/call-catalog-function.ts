/**
 * `call: <name>:<version>@<catalog>`: the catalog must be one of `use.catalogs` (or `default`, the
 * runner's own) with a fixed http, https or file endpoint, read with its `endpoint.authentication`
 * when it has one. A function named by URL (`call: https://…`) must be one a runner can read; it
 * is read with the authentication of the catalog whose endpoint the URL starts with. The function
 * itself is read and checked by the runner when the task runs.
 */
import { isStrictExpression } from '../../document/expression-checker.ts';
import { DEFAULT_CATALOG } from '../../document/call-target.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { lendingCatalog } from '../../document/url-function.ts';
import { checkEndpointAuthentication } from '../authentication.ts';
import { checkTemplate } from '../expressions.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { didYouMean } from '../../document/suggest.ts';

export function checkCatalogFunctionCall(site: TaskSite, name: string, version: string, catalog: string): void {
  const { ctx, pointer, scope } = site;
  if (Object.hasOwn(ctx.components.catalogs, catalog)) {
    const catalogPointer = joinPointer('/use/catalogs', catalog, 'endpoint');
    const written = asObject(ctx.components.catalogs[catalog])?.endpoint;
    const object = asObject(written);
    if (object?.authentication !== undefined) checkEndpointAuthentication(ctx, object.authentication, joinPointer(catalogPointer, 'authentication'), scope);
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

/** `call: https://…/function.yaml` or `https://…/<name>@<version>`: a function named by URL. */
export function checkUrlFunctionCall(site: TaskSite, url: string): void {
  const { ctx, pointer, scope } = site;
  const unreachable = URL.canParse(url) ? unreachableEndpoint(url) : 'it is not a URL';
  if (unreachable) {
    ctx.error('SW307', joinPointer(pointer, 'call'), `the function '${url}' cannot be read: ${unreachable}`);
    return;
  }
  const lender = lendingCatalog(url, ctx.components.catalogs);
  if (lender) checkEndpointAuthentication(ctx, lender.authentication, joinPointer('/use/catalogs', lender.name, 'endpoint', 'authentication'), scope);
  if (site.body.with !== undefined) checkTemplate(ctx, site.body.with, joinPointer(pointer, 'with'), scope);
}
