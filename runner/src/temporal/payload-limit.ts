/**
 * Activity results enter the workflow's history: one over Temporal's blob limit fails the
 * workflow task on every attempt and the execution hangs. This interceptor, installed on every
 * worker createWorker() builds, measures each activity's result before it is returned and
 * replaces one over the limit with a non-retryable failure carrying the coded SW error
 * (`…/errors/runtime`, status 413, "Payload too large"), which the interpreter raises as the
 * task's error. Every activity kind, present and future, gets the check without doing anything.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { payloadBytes, payloadTooLarge } from '../workflow/payload-size.ts';

export function payloadLimitInterceptor(maxPayloadBytes: number): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const result = await next(input);
        const bytes = payloadBytes(result, maxPayloadBytes);
        if (bytes <= maxPayloadBytes) return result;
        const task = taskReferenceOf(input.args[0]);
        const activity = `activity ${context.info.activityType}${task ? ` of task ${task}` : ''}`;
        const problem = payloadTooLarge(`the result of ${activity}`, bytes, maxPayloadBytes, task ?? '/').error;
        const { instance: _located, ...unlocated } = problem;
        throw ApplicationFailure.create({
          type: problem.type,
          message: problem.detail ?? problem.title ?? problem.type,
          nonRetryable: true,
          // Without a task reference the workflow puts its own as the error's instance.
          details: [task ? problem : unlocated],
        });
      },
    },
  });
}

/** Task activities carry the reference of the task that scheduled them (HttpCallRequest.taskReference). */
function taskReferenceOf(request: unknown): string | undefined {
  const reference = typeof request === 'object' && request !== null ? (request as { taskReference?: unknown }).taskReference : undefined;
  return typeof reference === 'string' ? reference : undefined;
}
