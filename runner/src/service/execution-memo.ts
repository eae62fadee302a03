/**
 * What an execution says about itself in Temporal visibility from its start: which document it
 * runs and whether a caller waits for it. Temporal returns memos with every listed execution, so
 * the execution page lists and filters executions without reading each one's history.
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { Plan } from '@baton/dsl';
import type { ExecutionStatus } from '../contract/index.ts';

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

/** A memo field through the runner's codec; undefined when absent or unreadable (another key). */
export async function decodeMemo(client: Client, payload: Payload | null | undefined): Promise<unknown> {
  if (!payload) return undefined;
  try {
    const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
    let decoded = [payload];
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return payloadConverter.fromPayload<unknown>(decoded[0]!);
  } catch {
    return undefined;
  }
}

/**
 * The final status a closed execution recorded in its memo (see the workflow's final-status.ts),
 * if `recorded` is one. The memo comes from Temporal: its shape is checked, not trusted.
 */
export function finalStatusOf(recorded: unknown): ExecutionStatus | undefined {
  if (typeof recorded !== 'object' || recorded === null) return undefined;
  const { phase, tasks, callback } = recorded as Record<string, unknown>;
  const ended = phase === 'COMPLETED' || phase === 'FAILED' || phase === 'CANCELLED';
  if (!ended || !Array.isArray(tasks) || typeof callback !== 'object' || callback === null) return undefined;
  return recorded as ExecutionStatus;
}
