/**
 * `call: <name>:<version>@<catalog>` → the function's coordinates, its catalog's endpoint and the
 * `endpoint.authentication` the runner reads it with; `call: https://…` → a function named by URL,
 * read with the authentication of the catalog whose endpoint the URL starts with. The runner reads
 * and compiles the function when the task runs.
 */
import { lendingCatalog, urlFunctionName } from '../../document/url-function.ts';
import type { CatalogFunctionCallTask } from '../../plan.ts';
import { endpointAuthentication } from '../authentication.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export function catalogFunctionCall(site: TaskSite, base: TaskBaseFields, name: string, version: string, catalog: string): CatalogFunctionCallTask {
  const { ctx } = site;
  const written = Object.hasOwn(ctx.components.catalogs, catalog) ? asObject(ctx.components.catalogs[catalog])?.endpoint : undefined;
  const endpoint = asObject(written)?.uri ?? written;
  const authentication = endpointAuthentication(ctx, asObject(written)?.authentication);
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.catalog',
    function: name,
    version,
    catalog,
    ...(typeof endpoint === 'string' ? { endpoint } : {}),
    ...(authentication ? { authentication } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args) } : {}),
  };
}

export function urlFunctionCall(site: TaskSite, base: TaskBaseFields, url: string): CatalogFunctionCallTask {
  const { ctx } = site;
  const { name, version } = urlFunctionName(url);
  const lender = lendingCatalog(url, ctx.components.catalogs);
  const authentication = lender ? endpointAuthentication(ctx, lender.authentication) : undefined;
  const args = site.body.with;
  return {
    ...base,
    kind: 'call.catalog',
    function: name,
    version,
    catalog: 'url',
    url,
    ...(authentication ? { authentication } : {}),
    ...(args !== undefined ? { arguments: template(ctx, args) } : {}),
  };
}
