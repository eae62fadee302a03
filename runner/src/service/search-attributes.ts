/**
 * Whether the runner's namespace has Baton's search attributes registered. Starting an execution
 * with an unregistered attribute is refused, and upserting one fails the workflow task forever:
 * so the runner asks once at start-up and keeps executions searchable only when all are there.
 */
import type { NativeConnection } from '@temporalio/worker';
import { createSearchAttributeActivities } from '../activities/search-attributes.ts';
import { BATON_SEARCH_ATTRIBUTE_NAMES } from '../contract/index.ts';

export type SearchAttributeSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export async function batonSearchAttributeSupport(connection: NativeConnection, namespace: string): Promise<SearchAttributeSupport> {
  let registered: Readonly<Record<string, string>>;
  try {
    registered = await createSearchAttributeActivities(connection, namespace).registeredSearchAttributes();
  } catch (error) {
    return { ok: false, reason: `cannot list the namespace's search attributes (${error instanceof Error ? error.message : String(error)})` };
  }
  const missing = Object.values(BATON_SEARCH_ATTRIBUTE_NAMES).filter((name) => registered[name] !== 'keyword');
  if (missing.length === 0) return { ok: true };
  const commands = missing.map((name) => `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`).join('; ');
  return { ok: false, reason: `${missing.join(', ')} not registered as Keyword (${commands})` };
}
