/**
 * The WorkflowRunnerServiceController rpcs: decode, check, call Executions, translate the answer.
 * Every failure leaves through toServiceError, so each one has a status code and a sentence, and
 * no error path can throw: a failure while answering is logged and answered INTERNAL.
 */
import { trace } from '@opentelemetry/api';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type {
  CancelExecutionRequest,
  DeployRequest,
  DeployResponse,
  ListDeploymentsRequest,
  ListDeploymentsResponse,
  ListSchedulesRequest,
  ListSchedulesResponse,
  ScheduleRequest,
  UndeployRequest,
  CloudEventBatch,
  PublishEventsResponse,
  Empty,
  Execution,
  GetExecutionRequest,
  PauseExecutionRequest,
  QueryExecutionRequest,
  QueryExecutionResponse,
  ResumeExecutionRequest,
  SignalExecutionRequest,
  UpdateExecutionRequest,
  UpdateExecutionResponse,
  WatchExecutionRequest,
  WorkflowExecuteInput,
  WorkflowExecuteResponse,
} from '@baton/proto';
import type { Decoded } from './codec.ts';
import { fromProtobuf } from '../events/index.ts';
import type { EventBus } from '../events/index.ts';
import type { CloudEventJson } from '../contract/index.ts';
import { tokenHint } from '../token/seal.ts';
import type { RpcSpans } from '../tracing/index.ts';
import { Admission } from './admission.ts';
import type { AdmissionLimits } from './admission.ts';
import { deploymentMessage, scheduleMessage } from './deployment-message.ts';
import type { Deployments } from './deployments.ts';
import { invalidArgument, RpcError, toRpcError, toServiceError } from './errors.ts';
import type { RequestProblem } from './errors.ts';
import { executionMessage } from './execution-message.ts';
import type { Executions, StartAnswer, StartRequest } from './executions.ts';
import { checkDecoded, checkExecuteInput, checkExecutionId, compileYaml, referenceProblems } from './requests.ts';
import type { ExecuteInputLimits } from './requests.ts';
import type { ServiceMetrics } from './metrics.ts';
import { watchExecution } from './watch.ts';
import type { DeployResult, WorkflowRef } from '../contract/index.ts';

export interface HandlerOptions extends ExecuteInputLimits {
  readonly executions: Executions;
  readonly deployments: Deployments;
  /** Where `publishEvents` puts events, and the largest event it accepts (JSON bytes). */
  readonly events: { readonly bus: EventBus; readonly maxEventBytes: number };
  /** Bounds on concurrent and waiting starts; past them a start is refused RESOURCE_EXHAUSTED. */
  readonly admission: AdmissionLimits;
  /** Base URL for status_url/subscribe_url; omitted when unknown. */
  readonly publicUrl?: string;
  readonly watchIntervalMs?: number;
  /** A span per unary call, continuing the caller's trace; none when tracing is off. */
  readonly rpcSpans?: RpcSpans;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  /** Where failures only a bug explains are reported (the caller gets INTERNAL with a sentence). */
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
  /** Where answers and refusals are counted; nothing is counted when absent. */
  readonly metrics?: ServiceMetrics;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Decoded<Req>, Res>, callback: sendUnaryData<Res>) => void;
type Log = NonNullable<HandlerOptions['log']>;

/** Where a handler reports: bugs to the log, every answer to the metrics. */
interface Reporting {
  readonly log: Log | undefined;
  readonly metrics: ServiceMetrics | undefined;
}

/** Reports what only a bug explains, without letting the report itself throw. */
function bugReporter(log: Log | undefined, method: string): (error: unknown) => void {
  return (error) => {
    try {
      log?.('internal error', { method, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    } catch {
      // Logging must not be what takes a call down.
    }
  };
}

/** Counts an answer (a failure as the status it is answered with); counting must not take a call down either. */
function answered(reporting: Reporting, method: string, startedMs: number, err?: unknown): void {
  const metrics = reporting.metrics;
  if (!metrics) return;
  try {
    const refusal = err === undefined ? undefined : toRpcError(err);
    metrics.answered(method, refusal?.code ?? GrpcStatus.OK, performance.now() - startedMs);
    if (refusal && refusal.problems.length > 0) metrics.refused(refusal.problems);
  } catch (failure) {
    bugReporter(reporting.log, method)(failure);
  }
}

function unary<Req, Res>(
  method: string,
  reporting: Reporting,
  handle: (request: Decoded<Req>, call: ServerUnaryCall<Decoded<Req>, Res>) => Promise<Res>,
): Unary<Req, Res> {
  const onBug = bugReporter(reporting.log, method);
  return (call, callback) => {
    const startedMs = performance.now();
    const fail = (err: unknown) => {
      try {
        answered(reporting, method, startedMs, err);
        callback(toServiceError(err, onBug));
      } catch (sendFailure) {
        onBug(sendFailure);
      }
    };
    let pending: Promise<Res>;
    try {
      pending = handle(call.request, call);
    } catch (err) {
      fail(err);
      return;
    }
    pending.then((response) => {
      try {
        answered(reporting, method, startedMs);
        callback(null, response);
      } catch (err) {
        fail(err);
      }
    }, fail);
  };
}

/** The call inside a span that ends with the status it was answered with. */
function traced<Req, Res>(spans: RpcSpans | undefined, method: string, serve: Unary<Req, Res>): Unary<Req, Res> {
  if (!spans) return serve;
  return (call, callback) =>
    spans.serve(method, call.metadata, (end) =>
      serve(call, (error, value, trailer, flags) => {
        end(error?.code ?? GrpcStatus.OK, error?.details);
        callback(error, value, trailer, flags);
      }),
    );
}

/** The client cancelled or its deadline passed: nobody is waiting for this answer any more. */
function abandoned(call: ServerUnaryCall<unknown, unknown>): () => boolean {
  return () => {
    if (call.cancelled) return true;
    const deadline = call.getDeadline();
    const at = deadline instanceof Date ? deadline.getTime() : deadline;
    return Number.isFinite(at) && at <= Date.now();
  };
}

export function createHandlers(options: HandlerOptions) {
  const { executions, deployments, log } = options;
  const warn = options.warn ?? log;
  const reporting: Reporting = { log: warn, metrics: options.metrics };
  const admission = new Admission(options.admission);
  const rpc = <Req, Res>(method: string, handle: (request: Decoded<Req>, call: ServerUnaryCall<Decoded<Req>, Res>) => Promise<Res>) =>
    traced(options.rpcSpans, method, unary(method, reporting, handle));

  /** Checks a start request and, admitted, has `begin` start it: what executeAsync and execute share. */
  const start = async <Started extends { readonly answer: StartAnswer }>(
    method: 'executeAsync' | 'execute',
    request: Decoded<WorkflowExecuteInput>,
    call: ServerUnaryCall<Decoded<WorkflowExecuteInput>, unknown>,
    begin: (checked: StartRequest) => Promise<Started>,
  ): Promise<Started & { readonly start: StartRequest }> => {
    const input = checkExecuteInput(request, options);
    const checked: StartRequest = 'plan' in input ? input : { ...input, plan: await deployments.plan(input.reference) };
    // The call's span, when traced: which execution it was, and whose callback (by hint only).
    trace.getActiveSpan()?.setAttributes({
      'baton.execution_id': checked.executionId,
      ...(checked.callbackToken ? { 'baton.callback.token_hint': tokenHint(checked.callbackToken) } : {}),
    });
    const started = await admission.run(() => begin(checked), abandoned(call));
    options.log?.(method, {
      executionId: checked.executionId,
      answer: started.answer.kind,
      ...(checked.callbackToken ? { tokenHint: tokenHint(checked.callbackToken) } : {}),
    });
    return { ...started, start: checked };
  };

  return {
    executeAsync: rpc<WorkflowExecuteInput, WorkflowExecuteResponse>('executeAsync', async (request, call) => {
      const { start: checked, answer } = await start('executeAsync', request, call, async (checked) => ({ answer: await executions.start(checked) }));
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

    execute: rpc<WorkflowExecuteInput, Execution>('execute', async (request, call) => {
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      // Admission holds the start (until the first workflow task accepted the update), never the wait for the end.
      const { end } = await start('execute', request, call, (checked) => executions.startAwaitingEnd(checked, abort.signal));
      return executionMessage(await end);
    }),

    getExecution: rpc<GetExecutionRequest, Execution>('getExecution', async (request) => {
      const { executionId } = checkExecutionId(request);
      return executionMessage(await executions.read(executionId));
    }),

    cancelExecution: rpc<CancelExecutionRequest, Empty>('cancelExecution', async (request) => {
      const { executionId, reason, force } = checkExecutionId(request);
      await executions.cancel(executionId, reason, force);
      return {};
    }),

    pauseExecution: rpc<PauseExecutionRequest, Empty>('pauseExecution', async (request) => {
      const { executionId, reason } = checkExecutionId(request);
      await executions.pause(executionId, reason);
      return {};
    }),

    resumeExecution: rpc<ResumeExecutionRequest, Empty>('resumeExecution', async (request) => {
      const { executionId, reason } = checkExecutionId(request);
      await executions.resume(executionId, reason);
      return {};
    }),

    signalExecution: rpc<SignalExecutionRequest, Empty>('signalExecution', async (request) => {
      const { executionId, name, payload } = checkExecutionId(request);
      await executions.messages.signal(executionId, name, payload);
      return {};
    }),

    queryExecution: rpc<QueryExecutionRequest, QueryExecutionResponse>('queryExecution', async (request) => {
      const { executionId, name } = checkExecutionId(request);
      return { result: (await executions.messages.query(executionId, name)) ?? null };
    }),

    updateExecution: rpc<UpdateExecutionRequest, UpdateExecutionResponse>('updateExecution', async (request) => {
      const { executionId, name, payload } = checkExecutionId(request);
      return { result: (await executions.messages.update(executionId, name, payload)) ?? null };
    }),

    deploy: rpc<DeployRequest, DeployResponse>('deploy', async (request) => {
      const { workflowYaml } = checkDecoded(request);
      const problems: RequestProblem[] = [];
      const plan = compileYaml(workflowYaml, options, problems);
      if (!plan) throw invalidArgument(problems);
      const result = await deployments.deploy(workflowYaml, plan);
      log?.('deploy', { reference: result.summary.ref, revision: result.summary.revision, changed: result.changed, schedule: result.schedule });
      return { deployment: deploymentMessage(result.summary), changed: result.changed, message: deployMessage(result.changed, result.summary.revision, result.schedule) };
    }),

    undeploy: rpc<UndeployRequest, Empty>('undeploy', async (request) => {
      const ref = checkReference(checkDecoded(request).reference, 'reference');
      await deployments.undeploy(ref);
      log?.('undeploy', { reference: ref });
      return {};
    }),

    listDeployments: rpc<ListDeploymentsRequest, ListDeploymentsResponse>('listDeployments', async (request) => {
      const { namespace } = checkDecoded(request);
      return { deployments: (await deployments.list(namespace)).map(deploymentMessage) };
    }),

    listSchedules: rpc<ListSchedulesRequest, ListSchedulesResponse>('listSchedules', async (request) => {
      const { namespace } = checkDecoded(request);
      return { schedules: (await deployments.schedules(namespace)).map(scheduleMessage) };
    }),

    pauseSchedule: rpc<ScheduleRequest, Empty>('pauseSchedule', async (request) => {
      const { reference, reason } = checkDecoded(request);
      await deployments.pauseSchedule(checkReference(reference, 'reference'), reason);
      return {};
    }),

    resumeSchedule: rpc<ScheduleRequest, Empty>('resumeSchedule', async (request) => {
      const { reference, reason } = checkDecoded(request);
      await deployments.resumeSchedule(checkReference(reference, 'reference'), reason);
      return {};
    }),

    triggerSchedule: rpc<ScheduleRequest, Empty>('triggerSchedule', async (request) => {
      const { reference } = checkDecoded(request);
      await deployments.triggerSchedule(checkReference(reference, 'reference'));
      return {};
    }),

    publishEvents: rpc<CloudEventBatch, PublishEventsResponse>('publishEvents', async (request) => {
      const { events: messages } = checkDecoded(request);
      const events: CloudEventJson[] = [];
      for (const [index, message] of messages.entries()) {
        const checked = fromProtobuf(message, options.events.maxEventBytes);
        if (!checked.ok) {
          const { code, attribute, message: sentence } = checked.problem;
          const field = `events[${index}].${attribute}`;
          if (code === 'EVENT_TOO_LARGE') throw new RpcError(GrpcStatus.RESOURCE_EXHAUSTED, `${field}: ${sentence}`);
          throw invalidArgument([{ field, code, message: sentence }]);
        }
        events.push(checked.event);
      }
      await options.events.bus.publish(events, 'grpc');
      log?.('publishEvents', { accepted: events.length });
      return { accepted: events.length };
    }),

    watchExecution: (call: ServerWritableStream<Decoded<WatchExecutionRequest>, Execution>) => {
      const onBug = bugReporter(warn, 'watchExecution');
      const startedMs = performance.now();
      const run = async () => {
        const { executionId } = checkExecutionId(call.request);
        await watchExecution(call, executions, executionId, options.watchIntervalMs ?? 200);
        answered(reporting, 'watchExecution', startedMs);
        call.end();
      };
      run().catch((err: unknown) => {
        try {
          answered(reporting, 'watchExecution', startedMs, err);
          // grpc-js ends a server stream with the status of an emitted error.
          if (!call.cancelled) call.emit('error', toServiceError(err, onBug));
        } catch (sendFailure) {
          onBug(sendFailure);
        }
      });
    },
  };
}

function checkReference(reference: WorkflowRef | undefined, field: string): WorkflowRef {
  const problems = referenceProblems(reference, field);
  if (problems.length > 0 || !reference) throw invalidArgument(problems);
  return { namespace: reference.namespace, name: reference.name, version: reference.version };
}

function deployMessage(changed: boolean, revision: number, schedule: DeployResult['schedule']): string {
  if (!changed) return `already deployed as revision ${revision}; nothing changed`;
  const scheduled = schedule === 'none' ? '' : `; schedule ${schedule}`;
  return `deployed revision ${revision}${scheduled}`;
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
      if (answer.callback?.state === 'PENDING') {
        return `already ended ${answer.phase}; the new callback token is being answered with that outcome (by a delivery workflow)`;
      }
      return answer.callback
        ? `already ended ${answer.phase}; the new callback token was answered with that outcome (${answer.callback.state})`
        : `already ended ${answer.phase}; nothing new was started`;
  }
}
