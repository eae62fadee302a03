/**
 * `call: <name>:<version>@<catalog>`: the catalog must be one of `use.catalogs` (or `default`, the
 * runner's own) with a fixed http, https or file endpoint, read with its `endpoint.authentication`
 * when it has one. A function named by URL (`call: https://…`) is read from there, with the
 * authentication of the catalog whose endpoint the URL starts with. The function itself is read
 * and compiled by the runner when the task runs.
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { AuthenticationPolicy, CatalogFunctionCallTask } from '../../plan.ts';
import { endpointAuthentication } from '../authentication.ts';
import { isStrictExpression, template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { didYouMean } from '../../document/suggest.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';

/** The runner's default catalog, unless the document defines one by that name. */
const DEFAULT_CATALOG = 'default';

export function catalogFunctionCall(site: TaskSite, base: TaskBaseFields, name: string, version: string, catalog: string): CatalogFunctionCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const callPointer = joinPointer(pointer, 'call');
  let endpoint: string | undefined;
  let authentication: AuthenticationPolicy | undefined;
  if (Object.hasOwn(ctx.components.catalogs, catalog)) {
    const catalogPointer = joinPointer('/use/catalogs', catalog, 'endpoint');
    const written = asObject(ctx.components.catalogs[catalog])?.endpoint;
    const object = asObject(written);
    if (object?.authentication !== undefined) authentication = endpointAuthentication(ctx, object.authentication, joinPointer(catalogPointer, 'authentication'), scope);
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
    ...(authentication ? { authentication } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args, joinPointer(pointer, 'with'), scope) } : {}),
  };
}

/** `call: https://…/function.yaml` or `https://…/<name>@<version>`: a function named by URL. */
export function urlFunctionCall(site: TaskSite, base: TaskBaseFields, url: string): CatalogFunctionCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const callPointer = joinPointer(pointer, 'call');
  const unreachable = URL.canParse(url) ? unreachableEndpoint(url) : 'it is not a URL';
  if (unreachable) {
    ctx.error('SW307', callPointer, `the function '${url}' cannot be read: ${unreachable}`);
    return undefined;
  }
  const named = /\/([^/@]+?)(?:\.(?:ya?ml|json))?(?:@([^/@]+))?$/.exec(new URL(url).pathname);
  // The catalog whose endpoint the URL starts with lends it its credentials (the longest such endpoint).
  let lender: { readonly name: string; readonly uri: string; readonly authentication: unknown } | undefined;
  for (const [name, catalog] of Object.entries(ctx.components.catalogs)) {
    const object = asObject(asObject(catalog)?.endpoint);
    const uri = object?.uri;
    if (typeof uri !== 'string' || object?.authentication === undefined) continue;
    const root = uri.endsWith('/') ? uri : `${uri}/`;
    if (url.startsWith(root) && (!lender || root.length > lender.uri.length)) lender = { name, uri: root, authentication: object.authentication };
  }
  const authentication = lender ? endpointAuthentication(ctx, lender.authentication, joinPointer('/use/catalogs', lender.name, 'endpoint', 'authentication'), scope) : undefined;
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.catalog',
    function: named?.[1] ?? url,
    version: named?.[2] ?? 'latest',
    catalog: 'url',
    url,
    ...(authentication ? { authentication } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args, joinPointer(pointer, 'with'), scope) } : {}),
  };
}
