/**
 * The executions as the service sees them: starting (idempotently), reading, cancelling, pausing.
 * It speaks Temporal and returns plain values; the gRPC handlers only translate.
 *
 * Idempotency (DESIGN 3.8): the workflow id is the execution id and a closed id is never reused.
 * A repeated start with a token re-targets a running execution's callback; a finished execution
 * has a callback delivery workflow answer the new token with its stored outcome.
 *
 * Stateless: every answer comes from Temporal (the execution's status query, its description, a
 * delivery workflow's result), and every change is an Update the execution validates itself, so
 * any replica answers the same.
 */
import { createHash } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WithStartWorkflowOperation,
} from '@temporalio/client';
import type { Client, WorkflowExecutionDescription, WorkflowHandle, WorkflowStartOptions, WorkflowUpdateHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Plan } from '@baton/dsl';
import { tokenHint } from '../token/seal.ts';
import type { TokenSealer } from '../token/seal.ts';
import {
  awaitEndUpdate,
  BATON_SEARCH_ATTRIBUTE_NAMES,
  callbackFailure,
  CALLBACK_DELIVERY_WORKFLOW_TYPE,
  cancelUpdate,
  FINAL_STATUS_MEMO_KEY,
  INTERPRETER_WORKFLOW_TYPE,
  keywordKey,
  pauseUpdate,
  prepareTerminationUpdate,
  problemOf,
  referencedCatalogue,
  resumeUpdate,
  retargetCallbackUpdate,
  statusQuery,
  rejectionOf,
  StandardError,
  TERMINATED_FAILURE_TYPE,
} from '../contract/index.ts';
import type {
  CallbackDeliveryArgs,
  CallerAction,
  CallbackReport,
  CallbackTarget,
  ExecutionPhase,
  ExecutionStatus,
  InterpreterArgs,
  InterpreterConfiguredLimits,
  RunEnding,
  UpdateRejection,
  WorkflowError,
} from '../contract/index.ts';
import { grpcCodeOf, RpcError, toRpcError } from './errors.ts';
import { ExecutionMessages } from './execution-messages.ts';
import { EXECUTION_DOCUMENT_MEMO_KEY, executionDocumentMemo, MAX_KEPT_SOURCE_BYTES } from './execution-memo.ts';

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
  /** The document's text, kept with the execution for the execution page when small enough. */
  readonly source?: string;
}

export type StartAnswer =
  | { readonly kind: 'started' }
  | { readonly kind: 'running'; readonly retargeted: boolean }
  | { readonly kind: 'finished'; readonly phase: ViewPhase; readonly callback?: CallbackReport };

/** An Update's verdict: accepted with the handler's answer, or refused by the execution. */
type Change<T> = { readonly kind: 'accepted'; readonly value: T } | { readonly kind: 'rejected'; readonly rejection: UpdateRejection };

export interface ExecutionsOptions {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sealer: TokenSealer;
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
  /** Start executions with Baton's search attributes: only when the namespace has them registered. */
  readonly searchAttributes?: boolean;
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
}

const QUERY_TIMEOUT_MS = 3_000;
const TERMINAL: ReadonlySet<ViewPhase> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED']);

export function isTerminal(phase: ViewPhase): boolean {
  return TERMINAL.has(phase);
}

export class Executions {
  private readonly client: Client;
  private readonly timeoutMs: number;

  /** Signals, queries and updates for a listening execution, bounded by the same deadline. */
  readonly messages: ExecutionMessages;

  constructor(private readonly options: ExecutionsOptions) {
    this.client = options.client;
    this.timeoutMs = options.temporalTimeoutMs ?? 10_000;
    this.messages = new ExecutionMessages(this.client, (call) => this.temporal(call));
  }

  async start(request: StartRequest): Promise<StartAnswer> {
    const target = this.targetFor(request);
    try {
      await this.temporal(() => this.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, this.startOptions(request, target)));
      return { kind: 'started' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) await this.checkUnansweredStart(request.executionId, err);
    }
    return this.answerRepeat(request.executionId, target);
  }

  /**
   * Starts as start() does, sending awaitEndUpdate with the start (update-with-start): a fresh
   * execution's final status then comes back in the same exchange with Temporal, where awaiting the
   * result and reading the execution would cost a describe more. Returns once the start's answer
   * is known, with the final view still to come in `end` (bounded by `signal` only). A repeated
   * start, a run that continued as new, a status too large to answer with, or an update lost to a
   * termination are read as awaitEnd() reads them.
   */
  async startAwaitingEnd(request: StartRequest, signal: AbortSignal): Promise<{ answer: StartAnswer; end: Promise<ExecutionView> }> {
    const id = request.executionId;
    const target = this.targetFor(request);
    const startWorkflowOperation = new WithStartWorkflowOperation(INTERPRETER_WORKFLOW_TYPE, this.startOptions(request, target));
    let update: WorkflowUpdateHandle<RunEnding>;
    try {
      update = await this.temporal(() => this.client.workflow.startUpdateWithStart(awaitEndUpdate, { waitForStage: 'ACCEPTED', startWorkflowOperation }));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        await this.checkUnansweredStart(id, err);
        return { answer: { kind: 'started' }, end: this.awaitEnd(id, signal) };
      }
      return { answer: await this.answerRepeat(id, target), end: this.awaitEnd(id, signal) };
    }
    const end = this.client
      .withAbortSignal(signal, () => update.result())
      .then(
        (ending) => (ending.kind === 'ended' ? recordedView(id, ending.status) : this.awaitEnd(id, signal)),
        () => this.awaitEnd(id, signal),
      );
    return { answer: { kind: 'started' }, end };
  }

  private startOptions(request: StartRequest, target: CallbackTarget | undefined) {
    // Only the documents this execution may run travel with it (and with its children and runs).
    const catalogue = referencedCatalogue(request.plan, this.options.catalogue);
    const args: InterpreterArgs = {
      executionId: request.executionId,
      plan: request.plan,
      input: request.input ?? {},
      ...(request.source !== undefined && Buffer.byteLength(request.source, 'utf8') <= MAX_KEPT_SOURCE_BYTES ? { source: request.source } : {}),
      ...(target ? { callback: target } : {}),
      ...(catalogue ? { catalogue } : {}),
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
    };
    return {
      workflowId: request.executionId,
      taskQueue: this.options.taskQueue,
      args: [args] as [InterpreterArgs],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      memo: { [EXECUTION_DOCUMENT_MEMO_KEY]: executionDocumentMemo(request.plan, target !== undefined) },
      ...(this.options.searchAttributes ? { typedSearchAttributes: initialSearchAttributes(request.plan, target !== undefined) } : {}),
    } satisfies WorkflowStartOptions<(args: InterpreterArgs) => Promise<unknown>>;
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
    if (!force) {
      const change = await this.change(executionId, (handle) => handle.executeUpdate(cancelUpdate, { args: [reason] }));
      if (change.kind === 'rejected') return cancelRefused(executionId, change.rejection);
      // The accepted update already cancelled the execution; Temporal's request makes Temporal's own
      // status say so too. Closed meanwhile: it ended cancelled, all the same.
      await this.temporal(() => this.client.workflow.getHandle(executionId).cancel()).catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
      return;
    }
    const terminateReason = reason || 'cancelled with force';
    let change: Change<CallbackTarget | null>;
    try {
      change = await this.change(executionId, (handle) => handle.executeUpdate(prepareTerminationUpdate, { args: [reason] }));
    } catch (err) {
      if (toRpcError(err).code !== GrpcStatus.UNAVAILABLE) throw err;
      // No worker answers (down, or the execution is stuck): a forced cancel must still end it.
      // Its callback target is then unknown here; the caller's own timeout answers the caller.
      this.options.warn?.('forced cancel without a worker answering: terminated without failing the caller', { executionId });
      await this.temporal(() => this.client.workflow.getHandle(executionId).terminate(terminateReason));
      return;
    }
    if (change.kind === 'rejected') return cancelRefused(executionId, change.rejection);
    const target = change.value;
    if (!target) {
      await this.temporal(() => this.client.workflow.getHandle(executionId).terminate(terminateReason)).catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
      return;
    }
    const action: CallerAction = {
      kind: 'fail',
      failure: {
        type: TERMINATED_FAILURE_TYPE,
        message: reason || 'the execution was cancelled with force (terminated)',
        nonRetryable: true,
        details: { workflow_execution_id: executionId, status: 499, title: 'Execution terminated', detail: reason },
      },
    };
    // Terminating and failing the caller is one durable step: a replica dying half-way loses neither.
    await this.deliverDurably(terminationWorkflowId(executionId), { executionId, target, action, terminateReason });
  }

  async pause(executionId: string, reason: string): Promise<void> {
    await this.changeRunning(executionId, 'pause', (handle) => handle.executeUpdate(pauseUpdate, { args: [reason] }));
  }

  async resume(executionId: string, reason: string): Promise<void> {
    await this.changeRunning(executionId, 'resume', (handle) => handle.executeUpdate(resumeUpdate, { args: [reason] }));
  }

  private async changeRunning<T>(executionId: string, verb: string, send: (handle: WorkflowHandle) => Promise<T>): Promise<void> {
    const change = await this.change(executionId, send);
    if (change.kind === 'accepted') return;
    const rejection = change.rejection;
    throw new RpcError(
      GrpcStatus.FAILED_PRECONDITION,
      rejection.reason === 'ended'
        ? `execution "${executionId}" already ended ${rejection.phase}; cannot ${verb} it`
        : `execution "${executionId}" is being terminated; cannot ${verb} it`,
    );
  }

  /**
   * Sends an Update and reads its verdict: accepted (with the handler's answer) or rejected by the
   * workflow's validator; an execution that has closed counts as rejected with its final phase.
   * NOT_FOUND only when there is no such execution at all.
   */
  private async change<T>(
    executionId: string,
    send: (handle: WorkflowHandle) => Promise<T>,
  ): Promise<Change<T>> {
    const handle = this.client.workflow.getHandle(executionId);
    try {
      return { kind: 'accepted', value: await this.temporal(() => send(handle)) };
    } catch (err) {
      const rejection = err instanceof WorkflowUpdateFailedError ? rejectionOf(err.cause) : undefined;
      if (rejection) return { kind: 'rejected', rejection };
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // Closed (or never existed: read throws NOT_FOUND then).
    const view = await this.read(executionId);
    return { kind: 'rejected', rejection: { reason: 'ended', phase: toExecutionPhase(view.phase) } };
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
    if (!target) {
      const description = await this.temporal(() => this.client.workflow.getHandle(executionId).describe());
      if (description.status.name === 'RUNNING') return { kind: 'running', retargeted: false };
      return { kind: 'finished', phase: (await this.read(executionId)).phase };
    }
    const change = await this.change(executionId, (handle) => handle.executeUpdate(retargetCallbackUpdate, { args: [target] }));
    if (change.kind === 'accepted') return { kind: 'running', retargeted: change.value.retargeted };
    // Being terminated: the termination answers its own target; this one is answered once it closed.
    if (change.rejection.reason === 'terminating') await this.awaitClosed(executionId);
    const view = await this.read(executionId);
    // The caller the execution itself answered, asking again (sealing is deterministic): nothing to add.
    if (view.callback.sealedToken === target.sealedToken && view.callback.namespace === target.namespace) {
      return { kind: 'finished', phase: view.phase };
    }
    const callback = await this.deliverDurably(deliveryWorkflowId(executionId, target), {
      executionId,
      target,
      action: actionFor(view),
    });
    return { kind: 'finished', phase: view.phase, callback };
  }

  private async awaitClosed(executionId: string): Promise<void> {
    try {
      await this.temporal(() => this.client.workflow.getHandle(executionId).result());
    } catch {
      // Terminated (an error to result()), or still closing: read() reports whichever it is.
    }
  }

  /**
   * Runs a callback delivery workflow, once per id (a second start joins or finds the first), and
   * waits a bounded time for its report; PENDING when it is still trying.
   */
  private async deliverDurably(workflowId: string, args: CallbackDeliveryArgs): Promise<CallbackReport> {
    const handle = this.client.workflow.getHandle<() => Promise<CallbackReport>>(workflowId);
    try {
      await this.temporal(() =>
        this.client.workflow.start(CALLBACK_DELIVERY_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.options.taskQueue,
          args: [args],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    let report: CallbackReport;
    try {
      report = await this.temporal(() => handle.result());
    } catch (err) {
      if (toRpcError(err).code !== GrpcStatus.UNAVAILABLE) throw err;
      return { state: 'PENDING' };
    }
    if (report.state !== 'COMPLETED' && report.state !== 'NONE') {
      this.options.warn?.(`callback not delivered (${report.state})`, { executionId: args.executionId, tokenHint: args.target.tokenHint, error: report.lastError });
    }
    return report;
  }

  /** How the forced cancel's delivery went, if there was one (it is the terminated execution's callback). */
  private async terminationReport(executionId: string): Promise<CallbackReport | undefined> {
    const handle = this.client.workflow.getHandle<() => Promise<CallbackReport>>(terminationWorkflowId(executionId));
    try {
      const description = await this.temporal(() => handle.describe(), QUERY_TIMEOUT_MS);
      if (description.status.name !== 'COMPLETED') return { state: 'PENDING' };
      const report = await this.temporal(() => handle.result(), QUERY_TIMEOUT_MS);
      return report.state === 'NONE' ? undefined : report;
    } catch {
      return undefined;
    }
  }

  private async viewOf(handle: WorkflowHandle, description: WorkflowExecutionDescription): Promise<ExecutionView> {
    const id = description.workflowId;
    // A closed execution's own final account, when it recorded one, needs no worker.
    const recorded = finalStatusIn(description);
    if (recorded) return recordedView(id, recorded);
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
    const current = base;
    const closedAt = description.closeTime?.toISOString();
    const closed = (phase: ViewPhase, error?: WorkflowError): ExecutionView => ({
      ...current,
      phase,
      closed: true,
      ...(error ? { error } : {}),
      ...(current.completedAt || !closedAt ? {} : { completedAt: closedAt }),
    });
    switch (description.status.name) {
      case 'RUNNING':
      case 'CONTINUED_AS_NEW':
      case 'PAUSED':
      case 'UNSPECIFIED':
      case 'UNKNOWN':
        return current;
      // The workflow's own account of how it ended wins over Temporal's coarser status.
      case 'COMPLETED':
        return closed(isTerminal(current.phase) ? current.phase : 'COMPLETED');
      case 'FAILED': {
        if (isTerminal(current.phase)) return closed(current.phase);
        const ending = await this.failureOf(handle);
        // Cancelled by an accepted cancel update that ended it before Temporal's request arrived.
        if (ending === 'cancelled') return closed('CANCELLED');
        return closed('FAILED', current.error ?? ending);
      }
      case 'CANCELLED':
        return closed('CANCELLED');
      case 'TERMINATED': {
        const report = await this.terminationReport(id);
        return { ...closed('TERMINATED', {
          type: TERMINATED_FAILURE_TYPE,
          status: 499,
          title: 'Execution terminated',
          detail: 'the execution was cancelled with force (terminated)',
        }), ...(report ? { callback: report } : {}) };
      }
      case 'TIMED_OUT':
        return closed('FAILED', {
          type: StandardError.timeout.type,
          status: 408,
          title: 'Execution timed out',
          detail: 'the Temporal workflow run timed out',
        });
    }
  }

  /** How a workflow Temporal reports FAILED ended, read from its failure (the interpreter's error travels in it). */
  private async failureOf(handle: WorkflowHandle): Promise<WorkflowError | 'cancelled'> {
    const unknown: WorkflowError = { type: StandardError.runtime.type, status: 500, title: 'Execution failed' };
    try {
      await this.temporal(() => handle.result());
    } catch (err) {
      const cause = err instanceof WorkflowFailedError ? err.cause : err;
      if (cause instanceof CancelledFailure) return 'cancelled';
      if (cause instanceof ApplicationFailure) return problemOf(cause) ?? { ...unknown, detail: cause.message };
      return { ...unknown, detail: cause instanceof Error ? cause.message : String(cause) };
    }
    return unknown;
  }

  private async temporal<T>(call: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    const boundMs = Math.min(timeoutMs, this.timeoutMs);
    const deadline = Date.now() + boundMs;
    try {
      return await this.client.withDeadline(deadline, call);
    } catch (err) {
      // grpc-js reports a call its deadline cut short (an Update nobody answers) as CANCELLED, not DEADLINE_EXCEEDED.
      if (Date.now() >= deadline && grpcCodeOf(err) === GrpcStatus.CANCELLED) {
        throw new RpcError(GrpcStatus.UNAVAILABLE, `Temporal did not answer within ${boundMs} ms; try again shortly`);
      }
      throw err;
    }
  }
}

/**
 * A closed execution as its own final account tells it (the memo, or the answer to an
 * awaitEndUpdate): it ended in the phase it recorded.
 */
function recordedView(executionId: string, status: ExecutionStatus): ExecutionView {
  return { ...status, executionId, temporalWorkflowId: executionId, closed: true };
}

/**
 * The final status a closed execution recorded in its memo (see the workflow's final-status.ts),
 * if it has one. The memo comes from Temporal: its shape is checked, not trusted.
 */
function finalStatusIn(description: WorkflowExecutionDescription): ExecutionStatus | undefined {
  if (!description.closeTime) return undefined;
  const recorded: unknown = description.memo?.[FINAL_STATUS_MEMO_KEY];
  if (typeof recorded !== 'object' || recorded === null) return undefined;
  const { phase, tasks, callback } = recorded as Record<string, unknown>;
  const ended = phase === 'COMPLETED' || phase === 'FAILED' || phase === 'CANCELLED';
  if (!ended || !Array.isArray(tasks) || typeof callback !== 'object' || callback === null) return undefined;
  return recorded as ExecutionStatus;
}

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

/** Cancelling an execution that already ended cancelled (or is about to be terminated) is done already. */
function cancelRefused(executionId: string, rejection: UpdateRejection): void {
  if (rejection.reason === 'terminating' || rejection.phase === 'CANCELLED') return;
  throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `execution "${executionId}" already ended ${rejection.phase}; there is nothing to cancel`);
}

/** TERMINATED is Temporal's: inside an update rejection it reads as an ended, cancelled execution. */
function toExecutionPhase(phase: ViewPhase): ExecutionPhase {
  return phase === 'TERMINATED' ? 'CANCELLED' : phase;
}

/** One delivery workflow per execution and token: a caller asking again joins the same one. */
function deliveryWorkflowId(executionId: string, target: CallbackTarget): string {
  const digest = createHash('sha256').update(`${target.namespace}\n${target.sealedToken}`).digest('hex').slice(0, 32);
  return `baton-callback/${digest}/${executionId}`;
}

function terminationWorkflowId(executionId: string): string {
  return `baton-terminate/${executionId}`;
}

/** What visibility shows of an execution from its start; the workflow keeps phase and callback state current. */
function initialSearchAttributes(plan: Plan, withCallback: boolean) {
  const names = BATON_SEARCH_ATTRIBUTE_NAMES;
  return [
    { key: keywordKey(names.phase), value: 'IN_PROGRESS' },
    { key: keywordKey(names.callbackState), value: withCallback ? 'PENDING' : 'NONE' },
    { key: keywordKey(names.document), value: `${plan.document.namespace}/${plan.document.name}` },
    { key: keywordKey(names.documentVersion), value: plan.document.version },
  ];
}
