/** A function named by URL (`call: https://…/function.yaml` or `https://…/<name>@<version>`): its name, version and the catalog lending it credentials. */
import { asObject } from './values.ts';
import type { JsonObject } from './values.ts';

export const URL_FUNCTION = /^https?:\/\//i;

/** The function's name and version as its URL writes them (`latest` when it names none). */
export function urlFunctionName(url: string): { readonly name: string; readonly version: string } {
  const named = /\/([^/@]+?)(?:\.(?:ya?ml|json))?(?:@([^/@]+))?$/.exec(new URL(url).pathname);
  return { name: named?.[1] ?? url, version: named?.[2] ?? 'latest' };
}

/** The catalog whose endpoint the URL starts with lends it its credentials (the longest such endpoint). */
export function lendingCatalog(url: string, catalogs: JsonObject): { readonly name: string; readonly authentication: unknown } | undefined {
  let lender: { readonly name: string; readonly root: string; readonly authentication: unknown } | undefined;
  for (const [name, catalog] of Object.entries(catalogs)) {
    const object = asObject(asObject(catalog)?.endpoint);
    const uri = object?.uri;
    if (typeof uri !== 'string' || object?.authentication === undefined) continue;
    const root = uri.endsWith('/') ? uri : `${uri}/`;
    if (url.startsWith(root) && (!lender || root.length > lender.root.length)) lender = { name, root, authentication: object.authentication };
  }
  return lender;
}
