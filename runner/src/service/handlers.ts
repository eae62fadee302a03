/**
 * The WorkflowRunnerServiceController rpcs: decode, check, call Executions, translate the answer.
 * Every failure leaves through toServiceError, so each one has a status code and a sentence.
 */
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type {
  CancelExecutionRequest,
  Empty,
  Execution,
  GetExecutionRequest,
  PauseExecutionRequest,
  ResumeExecutionRequest,
  WatchExecutionRequest,
  WorkflowExecuteInput,
  WorkflowExecuteResponse,
} from '@baton/proto';
import type { Decoded } from './codec.ts';
import { tokenHint } from '../token/seal.ts';
import { toServiceError } from './errors.ts';
import { executionMessage } from './execution-message.ts';
import type { Executions, StartAnswer, StartRequest } from './executions.ts';
import { checkExecuteInput, checkExecutionId } from './requests.ts';
import type { ExecuteInputLimits } from './requests.ts';
import { watchExecution } from './watch.ts';

export interface HandlerOptions extends ExecuteInputLimits {
  readonly executions: Executions;
  /** Base URL for status_url/subscribe_url; omitted when unknown. */
  readonly publicUrl?: string;
  readonly watchIntervalMs?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Decoded<Req>, Res>, callback: sendUnaryData<Res>) => void;

function unary<Req, Res>(handle: (request: Decoded<Req>, call: ServerUnaryCall<Decoded<Req>, Res>) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    handle(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

export function createHandlers(options: HandlerOptions) {
  const { executions } = options;

  const start = async (request: Decoded<WorkflowExecuteInput>): Promise<{ start: StartRequest; answer: StartAnswer }> => {
    const checked = checkExecuteInput(request, options);
    const answer = await executions.start(checked);
    options.log?.('executeAsync', {
      executionId: checked.executionId,
      answer: answer.kind,
      ...(checked.callbackToken ? { tokenHint: tokenHint(checked.callbackToken) } : {}),
    });
    return { start: checked, answer };
  };

  return {
    executeAsync: unary<WorkflowExecuteInput, WorkflowExecuteResponse>(async (request) => {
      const { start: checked, answer } = await start(request);
      const id = checked.executionId;
      return {
        workflowExecutionId: id,
        status: answer.kind === 'finished' ? answer.phase.toLowerCase() : 'running',
        message: startMessage(answer),
        temporalWorkflowId: id,
        statusUrl: options.publicUrl ? `${options.publicUrl}/executions/${encodeURIComponent(id)}` : '',
        subscribeUrl: options.publicUrl ? `${options.publicUrl}/executions/${encodeURIComponent(id)}/watch` : '',
      };
    }),

    execute: unary<WorkflowExecuteInput, Execution>(async (request, call) => {
      const { start: checked } = await start(request);
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      return executionMessage(await executions.awaitEnd(checked.executionId, abort.signal));
    }),

    getExecution: unary<GetExecutionRequest, Execution>(async (request) => {
      const { executionId } = checkExecutionId(request);
      return executionMessage(await executions.read(executionId));
    }),

    cancelExecution: unary<CancelExecutionRequest, Empty>(async (request) => {
      const { executionId, reason, force } = checkExecutionId(request);
      await executions.cancel(executionId, reason, force);
      return {};
    }),

    pauseExecution: unary<PauseExecutionRequest, Empty>(async (request) => {
      const { executionId, reason } = checkExecutionId(request);
      await executions.pause(executionId, reason);
      return {};
    }),

    resumeExecution: unary<ResumeExecutionRequest, Empty>(async (request) => {
      const { executionId, reason } = checkExecutionId(request);
      await executions.resume(executionId, reason);
      return {};
    }),

    watchExecution: (call: ServerWritableStream<Decoded<WatchExecutionRequest>, Execution>) => {
      const run = async () => {
        const { executionId } = checkExecutionId(call.request);
        await watchExecution(call, executions, executionId, options.watchIntervalMs ?? 200);
        call.end();
      };
      run().catch((err: unknown) => {
        // grpc-js ends a server stream with the status of an emitted error.
        if (!call.cancelled) call.emit('error', toServiceError(err));
      });
    },
  };
}

function startMessage(answer: StartAnswer): string {
  switch (answer.kind) {
    case 'started':
      return 'started';
    case 'running':
      return answer.retargeted
        ? 'already running; its result will go to the newest callback token'
        : 'already running; nothing new was started';
    case 'finished':
      return answer.callback
        ? `already ended ${answer.phase}; the new callback token was answered with that outcome (${answer.callback.state})`
        : `already ended ${answer.phase}; nothing new was started`;
  }
}
