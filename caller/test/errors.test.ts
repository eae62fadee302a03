/** Classifying what executeOnRunner threw: pure logic over Temporal's failure classes. */
import { expect, test } from 'bun:test';
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { CallerFailureType, runnerErrorOf, RunnerFailureType } from '../src/errors.ts';

function activityFailure(cause: Error): ActivityFailure {
  return new ActivityFailure('activity failed', 'executeOnRunner', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
}

function application(type: string, details?: unknown[]): ActivityFailure {
  return activityFailure(ApplicationFailure.create({ type, message: `${type} happened`, details, nonRetryable: true }));
}

test("the YAML workflow's failure keeps every field the runner sent", () => {
  const error = application('https://serverlessworkflow.io/spec/1.0.0/errors/validation', [
    { workflow_execution_id: 'order-7', status: 422, title: 'Order rejected', detail: 'empty basket', task_path: '/do/0/reject' },
  ]);
  expect(runnerErrorOf(error)).toEqual({
    kind: 'failed',
    failure: {
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation',
      message: 'https://serverlessworkflow.io/spec/1.0.0/errors/validation happened',
      workflowExecutionId: 'order-7',
      status: 422,
      title: 'Order rejected',
      detail: 'empty basket',
      taskPath: '/do/0/reject',
    },
  });
});

test('each caller and runner failure type has its own kind', () => {
  expect(runnerErrorOf(application(CallerFailureType.rejected, [{ code: 'INVALID_ARGUMENT' }]))).toMatchObject({
    kind: 'rejected',
    rejection: { code: 'INVALID_ARGUMENT' },
  });
  expect(runnerErrorOf(application(CallerFailureType.unreachable))).toMatchObject({ kind: 'unreachable' });
  expect(runnerErrorOf(application(CallerFailureType.invalidArgs))).toMatchObject({ kind: 'invalid-args' });
  expect(runnerErrorOf(application(RunnerFailureType.executionCancelled, [{ workflow_execution_id: 'x' }]))).toMatchObject({
    kind: 'cancelled',
    by: 'runner',
    workflowExecutionId: 'x',
  });
  expect(runnerErrorOf(application(RunnerFailureType.executionTerminated, [{ workflow_execution_id: 'x' }]))).toMatchObject({
    kind: 'terminated',
    workflowExecutionId: 'x',
  });
});

test('cancellation and timeouts come from the failure class', () => {
  expect(runnerErrorOf(activityFailure(new CancelledFailure('cancelled', [{ workflow_execution_id: 'y' }])))).toMatchObject({
    kind: 'cancelled',
    by: 'caller',
    workflowExecutionId: 'y',
  });
  expect(runnerErrorOf(activityFailure(new TimeoutFailure('timed out', undefined, 'HEARTBEAT')))).toMatchObject({
    kind: 'timed-out',
    timeoutType: 'HEARTBEAT',
  });
});

test('hostile or missing details never throw and never pass for a runner failure', () => {
  for (const details of [undefined, [], [null], ['text'], [[1, 2]], [{ workflow_execution_id: 42 }]]) {
    expect(runnerErrorOf(application('SomethingElse', details))).toMatchObject({ kind: 'unexpected' });
  }
  const odd = runnerErrorOf(application('https://example.com/errors/x', [{ workflow_execution_id: 'z', status: '500', title: 7 }]));
  expect(odd).toMatchObject({ kind: 'failed', failure: { workflowExecutionId: 'z', status: 0 } });
  expect(odd?.kind === 'failed' && odd.failure.title).toBe(undefined);
});

test('anything that is not an activity failure is left to the caller', () => {
  expect(runnerErrorOf(new Error('boom'))).toBeUndefined();
  expect(runnerErrorOf('boom')).toBeUndefined();
  expect(runnerErrorOf(undefined)).toBeUndefined();
});
