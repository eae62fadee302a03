/**
 * The execution list: interpreter executions on the runner's task queue from Temporal visibility,
 * newest first, with what their memos say (document, final phase, callback state). Temporal filters
 * by its own status; the phase, document and callback filters are then applied to the memos, so a
 * page may hold fewer rows than asked (and a few more: whole Temporal pages are read).
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal, type google } from '@temporalio/proto';
import { FINAL_STATUS_MEMO_KEY, INTERPRETER_WORKFLOW_TYPE } from '../contract/index.ts';
import type { CallbackState } from '../contract/index.ts';
import type { ExecutionDocumentMemo } from '../service/execution-memo.ts';
import { EXECUTION_DOCUMENT_MEMO_KEY } from '../service/execution-memo.ts';

/** What the list can tell without asking each execution: Temporal's status refined by the memo. */
export type ListPhase = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED';
export const LIST_PHASES: readonly ListPhase[] = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED'];
export const CALLBACK_STATES: readonly CallbackState[] = ['NONE', 'PENDING', 'COMPLETED', 'FAILED_DELIVERY', 'LOST'];

export interface ListFilters {
  readonly phase?: ListPhase;
  /** `name`, `namespace/name` or `namespace/name/version`. */
  readonly document?: string;
  readonly callback?: CallbackState;
}

export interface ListRow {
  readonly executionId: string;
  readonly runId: string;
  readonly phase: ListPhase;
  readonly document?: Omit<ExecutionDocumentMemo, 'callback'>;
  /** Absent when the list cannot tell (closed without a recorded final status, e.g. terminated). */
  readonly callback?: CallbackState;
  readonly startedAt: string;
  readonly closedAt?: string;
}

export interface ListPage {
  readonly rows: readonly ListRow[];
  /** Opaque: where the next page starts; absent on the last page. */
  readonly next?: string;
}

/** Temporal's statuses that may hold an execution of each phase (an accepted cancel can end FAILED in Temporal). */
const TEMPORAL_STATUSES: Record<ListPhase, readonly string[]> = {
  RUNNING: ['Running'],
  COMPLETED: ['Completed'],
  FAILED: ['Failed', 'TimedOut'],
  CANCELLED: ['Canceled', 'Failed'],
  TERMINATED: ['Terminated'],
};

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
/** Temporal pages read for one page of the list at most, so a rare filter cannot scan everything. */
const MAX_SCANNED_PAGES = 10;

export async function listExecutions(client: Client, taskQueue: string, filters: ListFilters, pageSize: number, start?: string): Promise<ListPage> {
  // Only literals from closed sets and the operator's task queue (quotes escaped) enter the query.
  const statuses = filters.phase ? TEMPORAL_STATUSES[filters.phase] : [];
  const query = [
    `WorkflowType = '${INTERPRETER_WORKFLOW_TYPE}'`,
    `TaskQueue = '${taskQueue.replace(/['\\]/g, '\\$&')}'`,
    ...(statuses.length > 0 ? [`(${statuses.map((status) => `ExecutionStatus = '${status}'`).join(' OR ')})`] : []),
  ].join(' AND ');
  const rows: ListRow[] = [];
  let token: Uint8Array | undefined = start ? Buffer.from(start, 'base64url') : undefined;
  for (let scanned = 0; scanned < MAX_SCANNED_PAGES && rows.length < pageSize; scanned++) {
    // The raw rpc: memos are decoded one by one, so one unreadable memo cannot fail the page.
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize, nextPageToken: token ?? null });
    for (const info of page.executions ?? []) {
      const row = await rowOf(client, info);
      if (matches(row, filters)) rows.push(row);
    }
    token = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    if (!token) break;
  }
  return { rows, ...(token ? { next: Buffer.from(token).toString('base64url') } : {}) };
}

async function rowOf(client: Client, info: temporal.api.workflow.v1.IWorkflowExecutionInfo): Promise<ListRow> {
  const fields = info.memo?.fields ?? {};
  const document = await decodeMemo(client, fields[EXECUTION_DOCUMENT_MEMO_KEY]);
  const final = await decodeMemo(client, fields[FINAL_STATUS_MEMO_KEY]);
  const temporalPhase = phaseOfStatus(info.status);
  const finalPhase = record(final)?.phase;
  const phase: ListPhase = finalPhase === 'COMPLETED' || finalPhase === 'FAILED' || finalPhase === 'CANCELLED' ? finalPhase : temporalPhase;
  const doc = record(document);
  const finalCallback = record(record(final)?.callback)?.state;
  const callback = isCallbackState(finalCallback) ? finalCallback : phase === 'RUNNING' && doc ? (doc.callback === true ? 'PENDING' : 'NONE') : undefined;
  return {
    executionId: info.execution?.workflowId ?? '',
    runId: info.execution?.runId ?? '',
    phase,
    ...(doc && typeof doc.name === 'string'
      ? { document: { namespace: String(doc.namespace ?? ''), name: doc.name, version: String(doc.version ?? '') } }
      : {}),
    ...(callback ? { callback } : {}),
    startedAt: isoTime(info.startTime),
    ...(info.closeTime ? { closedAt: isoTime(info.closeTime) } : {}),
  };
}

function matches(row: ListRow, filters: ListFilters): boolean {
  if (filters.phase && row.phase !== filters.phase) return false;
  if (filters.callback && row.callback !== filters.callback) return false;
  if (filters.document) {
    const doc = row.document;
    if (!doc) return false;
    const names = [doc.name, `${doc.namespace}/${doc.name}`, `${doc.namespace}/${doc.name}/${doc.version}`];
    if (!names.includes(filters.document.trim())) return false;
  }
  return true;
}

function phaseOfStatus(status: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined): ListPhase {
  switch (status) {
    case Status.WORKFLOW_EXECUTION_STATUS_COMPLETED:
      return 'COMPLETED';
    case Status.WORKFLOW_EXECUTION_STATUS_FAILED:
    case Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
      return 'FAILED';
    case Status.WORKFLOW_EXECUTION_STATUS_CANCELED:
      return 'CANCELLED';
    case Status.WORKFLOW_EXECUTION_STATUS_TERMINATED:
      return 'TERMINATED';
    default:
      return 'RUNNING';
  }
}

/** A memo field through the runner's codec; undefined when absent or unreadable (another key). */
async function decodeMemo(client: Client, payload: Payload | null | undefined): Promise<unknown> {
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

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isCallbackState(value: unknown): value is CallbackState {
  return typeof value === 'string' && (CALLBACK_STATES as readonly string[]).includes(value);
}

function isoTime(timestamp: google.protobuf.ITimestamp | null | undefined): string {
  return new Date(Number(timestamp?.seconds ?? 0) * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1e6)).toISOString();
}
