/**
 * The caller's activity: hand the workflow to the runner with this activity's task token, then
 * park. This is the TypeScript twin of a Go activity returning `activity.ErrResultPending`: after
 * `CompleteAsyncError` the worker forgets the activity (no slot held), Temporal keeps it open,
 * the runner heartbeats it while the execution runs and completes, fails or cancels it at the end.
 */
import { activityInfo, ApplicationFailure, CompleteAsyncError, log } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CallerFailureType } from './errors.ts';
import { redactTaskTokens, tokenHint } from './redact.ts';
import { connectRunner, RunnerCallError } from './runner-client.ts';
import type { ExecuteOnRunnerArgs, RunnerActivities, RunnerConnectionOptions } from './types.ts';

export interface RunnerActivitiesHandle {
  /** Register these with the caller's worker. */
  readonly activities: RunnerActivities;
  /**
   * Pass as the worker's `interceptors.activity`: keeps the SDK from logging whole task tokens.
   */
  readonly activityInterceptors: ActivityInterceptorsFactory[];
  /** Closes the gRPC channel; call after the worker has shut down. */
  close(): void;
}

export function createRunnerActivities(options: RunnerConnectionOptions): RunnerActivitiesHandle {
  const runner = connectRunner(options);
  const activities: RunnerActivities = {
    async executeOnRunner(args: ExecuteOnRunnerArgs): Promise<unknown> {
      const checked = checkArgs(args);
      const { taskToken, attempt, namespace } = activityInfo();
      let answer;
      try {
        answer = await runner.executeAsync({
          workflowExecutionId: checked.workflowExecutionId,
          workflowYaml: checked.workflowYaml,
          callbackToken: taskToken,
          input: checked.input,
          // The token only means something in the namespace that minted it: ours, unless told otherwise.
          callbackNamespace: checked.callbackNamespace ?? namespace,
          workflowReference: undefined,
        });
      } catch (error) {
        throw failureFor(error, checked.workflowExecutionId);
      }
      log.info('handed off to the Baton runner; parking the activity until it calls back', {
        workflowExecutionId: checked.workflowExecutionId,
        attempt,
        tokenHint: tokenHint(taskToken),
        runnerStatus: answer.status,
        runnerMessage: answer.message,
        temporalWorkflowId: answer.temporalWorkflowId,
      });
      throw new CompleteAsyncError();
    },
  };
  return { activities, activityInterceptors: [redactTaskTokens], close: () => runner.close() };
}

interface CheckedArgs {
  readonly workflowExecutionId: string;
  readonly workflowYaml: string;
  readonly input: Record<string, unknown> | undefined;
  readonly callbackNamespace: string | undefined;
}

/** Arguments arrive from workflow history as plain JSON: check them before they reach the wire. */
function checkArgs(args: unknown): CheckedArgs {
  const invalid = (reason: string) =>
    ApplicationFailure.create({ type: CallerFailureType.invalidArgs, message: reason, nonRetryable: true });
  if (!isRecord(args)) throw invalid('executeOnRunner expects an object { workflowExecutionId, workflowYaml, input? }');
  const { workflowExecutionId, workflowYaml, input, callbackNamespace } = args;
  if (typeof workflowExecutionId !== 'string' || workflowExecutionId === '') {
    throw invalid('workflowExecutionId must be a non-empty string');
  }
  if (typeof workflowYaml !== 'string' || workflowYaml.trim() === '') {
    throw invalid('workflowYaml must be a non-empty string');
  }
  if (input !== undefined && !isRecord(input)) {
    throw invalid('input must be a JSON object (the workflow reads it as $input)');
  }
  if (callbackNamespace !== undefined && typeof callbackNamespace !== 'string') {
    throw invalid('callbackNamespace must be a string');
  }
  return { workflowExecutionId, workflowYaml, input, callbackNamespace };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failureFor(error: unknown, workflowExecutionId: string): ApplicationFailure {
  if (error instanceof RunnerCallError && !error.transient) {
    return ApplicationFailure.create({
      type: CallerFailureType.rejected,
      message: error.message,
      details: [{ code: error.code, workflow_execution_id: workflowExecutionId }],
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    type: CallerFailureType.unreachable,
    message: error instanceof Error ? error.message : String(error),
    details: [{ code: error instanceof RunnerCallError ? error.code : 'UNKNOWN', workflow_execution_id: workflowExecutionId }],
    nonRetryable: false,
    // The runner said when to come back (its start queue was full): no sooner than that.
    ...(error instanceof RunnerCallError && error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}
