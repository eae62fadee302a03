/**
 * The executions as the service sees them: starting (idempotently), reading, cancelling, pausing.
 * It speaks Temporal and returns plain values; the gRPC handlers only translate.
 *
 * Idempotency (DESIGN 3.8): the workflow id is the execution id and a closed id is never reused.
 * A repeated start with a token re-targets a running execution's callback; a finished execution
 * answers the new token at once with its stored outcome.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Plan } from '@baton/dsl';
import type { CallerLink } from '../activities/callback/caller.ts';
import type { CallerAction } from '../activities/callback/caller.ts';
import { callbackFailure, TERMINATED_FAILURE_TYPE } from '../activities/callback/failure.ts';
import { DeliveryMemo } from '../activities/callback/memo.ts';
import { CANCEL_REASON_SIGNAL } from '../activities/callback/types.ts';
import type { DeliveryReport } from '../activities/callback/types.ts';
import { tokenHint } from '../token/seal.ts';
import type { TokenSealer } from '../token/seal.ts';
import {
  INTERPRETER_WORKFLOW_TYPE,
  pauseSignal,
  resumeSignal,
  retargetCallbackSignal,
  statusQuery,
} from '../workflow/contract.ts';
import type {
  CallbackTarget,
  ExecutionPhase,
  ExecutionStatus,
  InterpreterArgs,
  InterpreterConfiguredLimits,
  WorkflowError,
} from '../workflow/contract.ts';
import { RpcError, toRpcError } from './errors.ts';

/** The execution phases plus Temporal's TERMINATED, which the workflow itself never reports. */
export type ViewPhase = ExecutionPhase | 'TERMINATED';

export interface ExecutionView extends Omit<ExecutionStatus, 'phase'> {
  readonly phase: ViewPhase;
  readonly temporalWorkflowId: string;
  /** The Temporal workflow has closed: nothing about this execution changes any more. */
  readonly closed: boolean;
}

export interface StartRequest {
  readonly executionId: string;
  readonly plan: Plan;
  readonly input: unknown;
  readonly callbackToken?: Uint8Array;
  readonly callbackNamespace?: string;
}

export type StartAnswer =
  | { readonly kind: 'started' }
  | { readonly kind: 'running'; readonly retargeted: boolean }
  | { readonly kind: 'finished'; readonly phase: ViewPhase; readonly callback?: DeliveryReport };

export interface ExecutionsOptions {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sealer: TokenSealer;
  readonly link: CallerLink;
  /** Callers' namespace when a request names none; empty means the runner's own. */
  readonly callbackNamespace: string;
  readonly heartbeatIntervalMs: number;
  readonly catalogue?: Readonly<Record<string, Plan>>;
  /** Handed to every execution in its arguments (the payload limit). */
  readonly limits?: InterpreterConfiguredLimits;
  /** Zigflow's `$env` (the runner's `--zigflow-env-prefix` variables), handed to every execution. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bound on each call to Temporal, so a dead server gives UNAVAILABLE instead of a hang. */
  readonly temporalTimeoutMs?: number;
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
  /** The client's payload codecs: history fetched raw is decoded through them. */
  readonly payloadCodecs?: readonly PayloadCodec[];
}

const QUERY_TIMEOUT_MS = 3_000;
const TERMINAL: ReadonlySet<ViewPhase> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED']);

export function isTerminal(phase: ViewPhase): boolean {
  return TERMINAL.has(phase);
}

export class Executions {
  private readonly client: Client;
  private readonly timeoutMs: number;
  /** Callback answers given by the service itself (forced cancel, late tokens): not in any workflow. */
  private readonly lateCallbacks = new DeliveryMemo();

  constructor(private readonly options: ExecutionsOptions) {
    this.client = options.client;
    this.timeoutMs = options.temporalTimeoutMs ?? 10_000;
  }

  async start(request: StartRequest): Promise<StartAnswer> {
    const target = this.targetFor(request);
    const args: InterpreterArgs = {
      executionId: request.executionId,
      plan: request.plan,
      input: request.input ?? {},
      ...(target ? { callback: target } : {}),
      ...(this.options.catalogue ? { catalogue: this.options.catalogue } : {}),
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
    };
    try {
      await this.temporal(() =>
        this.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, {
          workflowId: request.executionId,
          taskQueue: this.options.taskQueue,
          args: [args],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        }),
      );
      return { kind: 'started' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) await this.checkUnansweredStart(request.executionId, err);
    }
    return this.answerRepeat(request.executionId, target);
  }

  /**
   * A start that failed for want of an answer (deadline, reset connection) may still have reached
   * Temporal and started the execution. Returns when it did (the caller then answers as for a
   * repeated start), and throws an answer that says what is known otherwise: never "failed" for an
   * execution that exists.
   */
  private async checkUnansweredStart(executionId: string, startError: unknown): Promise<void> {
    if (toRpcError(startError).code !== GrpcStatus.UNAVAILABLE) throw startError;
    try {
      await this.temporal(() => this.client.workflow.getHandle(executionId).describe());
      return;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new RpcError(GrpcStatus.UNAVAILABLE, `Temporal did not answer in time and execution "${executionId}" was not started; try again`);
      }
    }
    throw new RpcError(
      GrpcStatus.UNAVAILABLE,
      `${toRpcError(startError).message}. Execution "${executionId}" may have started: ask again with the same id (it never starts twice, and the answer says which)`,
    );
  }

  async read(executionId: string): Promise<ExecutionView> {
    const handle = this.client.workflow.getHandle(executionId);
    const description = await this.temporal(() => handle.describe());
    return this.viewOf(handle, description);
  }

  /** Only the status query: what a watcher polls while the execution runs. */
  async peek(executionId: string): Promise<ExecutionView> {
    const handle = this.client.workflow.getHandle(executionId);
    try {
      const status = await this.temporal(() => handle.query(statusQuery), QUERY_TIMEOUT_MS);
      if (!isTerminal(status.phase)) return { ...status, temporalWorkflowId: executionId, closed: false };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
    }
    return this.read(executionId);
  }

  /** Waits for the end (as long as `signal` allows) and returns the final view. */
  async awaitEnd(executionId: string, signal: AbortSignal): Promise<ExecutionView> {
    const handle = this.client.workflow.getHandle(executionId);
    try {
      await this.client.withAbortSignal(signal, () => handle.result());
    } catch (err) {
      if (signal.aborted) throw new RpcError(GrpcStatus.CANCELLED, 'the call was cancelled before the execution ended');
      if (!(err instanceof WorkflowFailedError)) throw err;
    }
    return this.read(executionId);
  }

  async cancel(executionId: string, reason: string, force: boolean): Promise<void> {
    const view = await this.read(executionId);
    if (view.phase === 'COMPLETED' || view.phase === 'FAILED') {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `execution "${executionId}" already ended ${view.phase}; there is nothing to cancel`);
    }
    if (isTerminal(view.phase)) return;
    const handle = this.client.workflow.getHandle(executionId);
    if (!force) {
      if (reason) await this.temporal(() => handle.signal(CANCEL_REASON_SIGNAL, reason));
      await this.temporal(() => handle.cancel());
      return;
    }
    await this.temporal(() => handle.terminate(reason || 'cancelled with force'));
    await this.failTerminatedCallback(handle, executionId, reason);
  }

  async pause(executionId: string, reason: string): Promise<void> {
    await this.signalRunning(executionId, 'pause', (handle) => handle.signal(pauseSignal, reason));
  }

  async resume(executionId: string, reason: string): Promise<void> {
    await this.signalRunning(executionId, 'resume', (handle) => handle.signal(resumeSignal, reason));
  }

  private async signalRunning(executionId: string, verb: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
    const view = await this.read(executionId);
    if (isTerminal(view.phase)) {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `execution "${executionId}" already ended ${view.phase}; cannot ${verb} it`);
    }
    await this.temporal(() => send(this.client.workflow.getHandle(executionId)));
  }

  private targetFor(request: StartRequest): CallbackTarget | undefined {
    const token = request.callbackToken;
    if (!token || token.length === 0) return undefined;
    return {
      sealedToken: this.options.sealer.seal(token, request.executionId),
      namespace: request.callbackNamespace || this.options.callbackNamespace,
      tokenHint: tokenHint(token),
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
    };
  }

  private async answerRepeat(executionId: string, target: CallbackTarget | undefined): Promise<StartAnswer> {
    const handle = this.client.workflow.getHandle(executionId);
    const description = await this.temporal(() => handle.describe());
    if (description.status.name === 'RUNNING') {
      if (!target) return { kind: 'running', retargeted: false };
      try {
        await this.temporal(() => handle.signal(retargetCallbackSignal, target));
        return { kind: 'running', retargeted: true };
      } catch (err) {
        // It ended between describe and signal: answer as a finished execution.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    const view = await this.read(executionId);
    if (!target) return { kind: 'finished', phase: view.phase };
    // The same caller asking again (sealing is deterministic): it was answered already.
    const previous = await this.latestTarget(handle);
    if (previous?.sealedToken === target.sealedToken && previous.namespace === target.namespace) {
      return { kind: 'finished', phase: view.phase };
    }
    const callback = await this.deliverLate(executionId, target, actionFor(view));
    return { kind: 'finished', phase: view.phase, callback };
  }

  private async failTerminatedCallback(handle: WorkflowHandle, executionId: string, reason: string): Promise<void> {
    const target = await this.latestTarget(handle);
    if (!target) return;
    await this.deliverLate(executionId, target, {
      kind: 'fail',
      failure: {
        type: TERMINATED_FAILURE_TYPE,
        message: reason || 'the execution was cancelled with force (terminated)',
        nonRetryable: true,
        details: { workflow_execution_id: executionId, status: 499, title: 'Execution terminated', detail: reason },
      },
    });
  }

  /** A delivery done by the service rather than a workflow: a few quick retries, then recorded as is. */
  private async deliverLate(executionId: string, target: CallbackTarget, action: CallerAction): Promise<DeliveryReport> {
    let report: DeliveryReport | undefined;
    let lastError = '';
    for (let attempt = 0; attempt < 3 && !report; attempt++) {
      try {
        report = await this.options.link.deliver(target, executionId, action);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        await Bun.sleep(200 * 2 ** attempt);
      }
    }
    report ??= { state: 'FAILED_DELIVERY', error: `delivery retries exhausted: ${lastError}` };
    if (report.state !== 'COMPLETED') {
      this.options.warn?.(`callback not delivered (${report.state})`, { executionId, tokenHint: target.tokenHint, error: report.error });
    }
    this.lateCallbacks.set(executionId, report);
    return report;
  }

  /** The newest callback target: the start argument, unless a retarget signal came later. */
  private async latestTarget(handle: WorkflowHandle): Promise<CallbackTarget | undefined> {
    const history = await this.temporal(() => handle.fetchHistory());
    let target: CallbackTarget | undefined;
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      const firstStartPayload = started?.input?.payloads?.[0];
      if (firstStartPayload) {
        target = (await this.fromHistoryPayload<InterpreterArgs>(firstStartPayload)).callback;
      }
      const signaled = event.workflowExecutionSignaledEventAttributes;
      const signalPayload = signaled?.input?.payloads?.[0];
      if (signaled?.signalName === retargetCallbackSignal.name && signalPayload) {
        target = await this.fromHistoryPayload<CallbackTarget>(signalPayload);
      }
    }
    return target;
  }

  private async fromHistoryPayload<T>(payload: Payload): Promise<T> {
    let decoded = [payload];
    for (const codec of [...(this.options.payloadCodecs ?? [])].reverse()) decoded = await codec.decode(decoded);
    return defaultPayloadConverter.fromPayload<T>(decoded[0]!);
  }

  private async viewOf(handle: WorkflowHandle, description: WorkflowExecutionDescription): Promise<ExecutionView> {
    const id = description.workflowId;
    let status: ExecutionStatus | undefined;
    try {
      // A query needs a worker; without one, Temporal's own view (below) answers after a short wait.
      status = await this.temporal(() => handle.query(statusQuery), QUERY_TIMEOUT_MS);
    } catch {
      // No worker to answer, or the workflow never registered its query: Temporal's view alone.
    }
    const base: ExecutionView = {
      executionId: id,
      tasks: [],
      callback: { state: 'NONE' },
      ...status,
      // No answer to the query (no worker right now): past its first workflow task, it is running.
      phase: status?.phase ?? (description.historyLength > 3 ? 'IN_PROGRESS' : 'PENDING'),
      temporalWorkflowId: id,
      closed: false,
      ...(status?.startedAt ? {} : { startedAt: description.startTime.toISOString() }),
    };
    const late = this.lateCallbacks.get(id);
    const withLate: ExecutionView = late
      ? { ...base, callback: late.state === 'COMPLETED' ? { state: 'COMPLETED' } : { state: late.state, lastError: late.error } }
      : base;
    const closedAt = description.closeTime?.toISOString();
    const closed = (phase: ViewPhase, error?: WorkflowError): ExecutionView => ({
      ...withLate,
      phase,
      closed: true,
      ...(error ? { error } : {}),
      ...(withLate.completedAt || !closedAt ? {} : { completedAt: closedAt }),
    });
    switch (description.status.name) {
      case 'RUNNING':
      case 'CONTINUED_AS_NEW':
      case 'PAUSED':
      case 'UNSPECIFIED':
      case 'UNKNOWN':
        return withLate;
      // The workflow's own account of how it ended wins over Temporal's coarser status.
      case 'COMPLETED':
        return closed(isTerminal(withLate.phase) ? withLate.phase : 'COMPLETED');
      case 'FAILED':
        if (isTerminal(withLate.phase)) return closed(withLate.phase);
        return closed('FAILED', withLate.error ?? (await this.failureOf(handle)));
      case 'CANCELLED':
        return closed('CANCELLED');
      case 'TERMINATED':
        return closed('TERMINATED', {
          type: TERMINATED_FAILURE_TYPE,
          status: 499,
          title: 'Execution terminated',
          detail: 'the execution was cancelled with force (terminated)',
        });
      case 'TIMED_OUT':
        return closed('FAILED', {
          type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout',
          status: 408,
          title: 'Execution timed out',
          detail: 'the Temporal workflow run timed out',
        });
    }
  }

  private async failureOf(handle: WorkflowHandle): Promise<WorkflowError> {
    try {
      await this.temporal(() => handle.result());
    } catch (err) {
      const cause = err instanceof WorkflowFailedError ? err.cause : err;
      return {
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
        status: 500,
        title: 'Execution failed',
        detail: cause instanceof Error ? cause.message : String(cause),
      };
    }
    return { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', status: 500, title: 'Execution failed' };
  }

  private temporal<T>(call: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    return this.client.withDeadline(Date.now() + Math.min(timeoutMs, this.timeoutMs), call);
  }
}

/** What a finished execution tells a caller that arrives late. */
function actionFor(view: ExecutionView): CallerAction {
  switch (view.phase) {
    case 'COMPLETED':
      return { kind: 'complete', output: view.output ?? null };
    case 'CANCELLED':
      return { kind: 'cancel', cancellation: { workflow_execution_id: view.executionId } };
    default: {
      const error: WorkflowError = view.error ?? { type: TERMINATED_FAILURE_TYPE, status: 500, title: `Execution ${view.phase}` };
      return { kind: 'fail', failure: callbackFailure(error, view.executionId, view.currentTask) };
    }
  }
}
