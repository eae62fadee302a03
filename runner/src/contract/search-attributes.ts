/**
 * The activity that tells the interpreter which search attributes the cluster knows, so an
 * upsert naming an unknown one fails the task with an answer instead of failing the workflow task
 * (which Temporal retries forever).
 */
import type { SearchAttributeKind } from '@baton/dsl/runtime';

/** Each attribute the namespace has registered (system and custom), with its type in Zigflow's spelling. */
export type RegisteredSearchAttributes = Readonly<Record<string, SearchAttributeKind>>;

export interface SearchAttributeActivities {
  registeredSearchAttributes(): Promise<RegisteredSearchAttributes>;
}
