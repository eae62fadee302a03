/**
 * What an execution says about itself in Temporal visibility from its start: which document it
 * runs and whether a caller waits for it. Temporal returns memos with every listed execution, so
 * the execution page lists and filters executions without reading each one's history.
 */
import type { Plan } from '@baton/dsl';

export const EXECUTION_DOCUMENT_MEMO_KEY = 'batonDocument';

export interface ExecutionDocumentMemo {
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  /** Whether the execution was started with a callback token (a caller waits for its outcome). */
  readonly callback: boolean;
}

export function executionDocumentMemo(plan: Plan, callback: boolean): ExecutionDocumentMemo {
  return { namespace: plan.document.namespace, name: plan.document.name, version: plan.document.version, callback };
}

/**
 * The document kept with an execution for people reading it. Larger ones are not kept: the source
 * travels in the workflow's arguments (and every continue-as-new's), which count against the
 * payload limit.
 */
export const MAX_KEPT_SOURCE_BYTES = 64 * 1024;
