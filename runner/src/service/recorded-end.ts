/**
 * How `execute` waits for the end: it long-polls the execution's history event by event instead of
 * for the close event alone, and keeps the final status the workflow records in its memo
 * (workflow/final-status.ts) on the way. That memo is written in the same workflow task as the
 * close, so both arrive in one answer and the final view needs no describe after the end: without
 * this, `execute` cost one more Temporal round trip than `executeAsync` plus awaiting the result.
 *
 * Answers undefined whenever it cannot say for sure, and the caller reads the execution as before:
 * no status recorded (an output too large for the memo, an execution from before the memo), a
 * close Temporal decided (cancelled, terminated, timed out), a run continued in a new one, or a
 * history longer than is worth reading here (past that, awaiting the close alone is cheaper).
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal, type google } from '@temporalio/proto';
import { FINAL_STATUS_MEMO_KEY } from '../contract/index.ts';
import type { ExecutionStatus } from '../contract/index.ts';
import { decodeMemo, finalStatusOf } from './execution-memo.ts';

/** A run that closed COMPLETED or FAILED with the final status it recorded. */
export interface RecordedEnd {
  readonly status: ExecutionStatus;
  readonly startTime: Date;
  readonly closeTime: Date;
}

/** A one-`set` execution has 6 events; a long one is followed by its close event alone instead. */
const MAX_EVENTS_FOLLOWED = 1_000;

export async function followToRecordedEnd(client: Client, executionId: string): Promise<RecordedEnd | undefined> {
  const request: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryRequest = {
    namespace: client.options.namespace,
    execution: { workflowId: executionId },
    skipArchival: true,
    waitNewEvent: true,
    historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT,
  };
  let seen = 0;
  let startTime: Date | undefined;
  let recorded: Payload | null | undefined;
  for (;;) {
    const response = await client.workflowService.getWorkflowExecutionHistory(request);
    for (const event of response.history?.events ?? []) {
      seen++;
      if (event.workflowExecutionStartedEventAttributes) startTime = dateOf(event.eventTime);
      const memo = event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields;
      if (memo && FINAL_STATUS_MEMO_KEY in memo) recorded = memo[FINAL_STATUS_MEMO_KEY];
      const ended = event.workflowExecutionCompletedEventAttributes ?? event.workflowExecutionFailedEventAttributes;
      if (ended) {
        if (ended.newExecutionRunId || !startTime) return undefined;
        const status = finalStatusOf(await decodeMemo(client, recorded));
        return status ? { status, startTime, closeTime: dateOf(event.eventTime) } : undefined;
      }
      if (closesOtherwise(event)) return undefined;
    }
    if (seen > MAX_EVENTS_FOLLOWED || !response.nextPageToken?.length) return undefined;
    request.nextPageToken = response.nextPageToken;
  }
}

function closesOtherwise(event: temporal.api.history.v1.IHistoryEvent): boolean {
  return Boolean(
    event.workflowExecutionCanceledEventAttributes ??
      event.workflowExecutionTerminatedEventAttributes ??
      event.workflowExecutionTimedOutEventAttributes ??
      event.workflowExecutionContinuedAsNewEventAttributes,
  );
}

/** As Temporal's describe reads its times: milliseconds, nanoseconds cut. */
function dateOf(timestamp: google.protobuf.ITimestamp | null | undefined): Date {
  return new Date(Number(timestamp?.seconds ?? 0) * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1e6));
}
