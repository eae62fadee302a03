/**
 * The search attributes Baton keeps on every interpreter execution, so visibility can list
 * executions by phase, callback state and document (`temporal workflow list --query
 * "BatonCallbackState='PENDING'"`, `baton list`). All Keyword; a cluster registers them once
 * (docs/runner.md, "Search attributes"), `bun run local`'s dev server does it itself.
 */
export const BATON_SEARCH_ATTRIBUTE_NAMES = {
  phase: 'BatonPhase',
  callbackState: 'BatonCallbackState',
  /** `namespace/name` of the workflow document. */
  document: 'BatonDocument',
  documentVersion: 'BatonDocumentVersion',
} as const;

export type BatonSearchAttributeName = (typeof BATON_SEARCH_ATTRIBUTE_NAMES)[keyof typeof BATON_SEARCH_ATTRIBUTE_NAMES];

/** As `temporal server start-dev --search-attribute` and `temporal operator search-attribute create` name their type. */
export const BATON_SEARCH_ATTRIBUTE_TYPES: Readonly<Record<BatonSearchAttributeName, 'Keyword'>> = {
  BatonPhase: 'Keyword',
  BatonCallbackState: 'Keyword',
  BatonDocument: 'Keyword',
  BatonDocumentVersion: 'Keyword',
};

/** Executions started before Baton kept these attributes replay without the upserts. */
export const BATON_SEARCH_ATTRIBUTES_PATCH = 'baton-search-attributes';

/** A typed key as the SDK's start options and `upsertSearchAttributes` take it. */
export function keywordKey(name: BatonSearchAttributeName): { readonly name: BatonSearchAttributeName; readonly type: 'KEYWORD' } {
  return { name, type: 'KEYWORD' };
}

