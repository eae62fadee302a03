/**
 * Keeps the execution's Baton search attributes (phase, callback state) current as they change.
 * The service sets all of them when it starts the execution, and only when the namespace has
 * them registered (an upsert of an unknown attribute fails the workflow task, forever): so an
 * execution started without them upserts nothing, and one started before this code replays
 * without the upserts (`patched`, asked only when there is something to write).
 */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { BATON_SEARCH_ATTRIBUTE_NAMES, BATON_SEARCH_ATTRIBUTES_PATCH, keywordKey } from '../contract/index.ts';
import type { CallbackState, ExecutionPhase } from '../contract/index.ts';

const PHASE = keywordKey(BATON_SEARCH_ATTRIBUTE_NAMES.phase);
const CALLBACK_STATE = keywordKey(BATON_SEARCH_ATTRIBUTE_NAMES.callbackState);

export interface SearchableState {
  readonly phase?: ExecutionPhase;
  readonly callbackState?: CallbackState;
}

/** Writes what changed; nothing when the execution was started without Baton's attributes. */
export function publishState(state: SearchableState): void {
  if (workflowInfo().typedSearchAttributes.get(PHASE) === undefined) return;
  const updates = [
    ...(state.phase && state.phase !== workflowInfo().typedSearchAttributes.get(PHASE) ? [{ key: PHASE, value: state.phase }] : []),
    ...(state.callbackState && state.callbackState !== workflowInfo().typedSearchAttributes.get(CALLBACK_STATE)
      ? [{ key: CALLBACK_STATE, value: state.callbackState }]
      : []),
  ];
  if (updates.length === 0 || !patched(BATON_SEARCH_ATTRIBUTES_PATCH)) return;
  upsertSearchAttributes(updates);
}
