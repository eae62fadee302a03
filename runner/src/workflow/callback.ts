/**
 * The callback end-game, inside the interpreter workflow (sandboxed: deterministic code only).
 *
 * `watchCallback` runs at the start of an execution: it follows re-targeting signals and keeps one
 * long-running activity heartbeating the caller's parked activity (so the caller can notice a dead
 * runner, and Baton notices a caller that was cancelled). `settleCallback` runs at the end of every
 * path, in a non-cancellable scope, and hands the outcome to the newest token through the
 * completeCallback / failCallback / cancelCallback system activities.
 *
 * The state below is module-level on purpose: the worker loads workflow modules once per
 * execution (its module cache lives on the execution's activator), so it is per execution.
 */
import {
  ActivityFailure,
  CancellationScope,
  defineSignal,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { callbackFailure } from '../contract/index.ts';
import { CALLER_CANCELLED_SIGNAL, CANCEL_REASON_SIGNAL } from '../contract/index.ts';
import type { CallbackActivities, DeliveryReport, WatchEnding } from '../contract/index.ts';
import { cancelUpdate, prepareTerminationUpdate, retargetCallbackSignal, retargetCallbackUpdate } from '../contract/index.ts';
import type { CallbackReport, CallbackTarget, ExecutionPhase, ExecutionStatus } from '../contract/index.ts';
import { publishState } from './execution-search-attributes.ts';
import type { ExecutionOutcome } from './outcome.ts';
import { changeRejection, hasEnded, refuse } from '../contract/index.ts';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * Deliveries are local activities: they run inside the workflow task that ends the execution, so
 * a callback costs no extra activity dispatch or workflow task (bench:runner measures it). A local
 * activity runs again if that workflow task is rejected (a signal arriving meanwhile); the
 * activities remember what they delivered, so the caller is not asked twice (activities/callback/memo.ts).
 * Delivery budget: 10 attempts, backoff 1 s doubling to 30 s (about 3.5 minutes of retrying); final
 * answers (LOST, FAILED_DELIVERY) are return values, not errors, so they are never retried.
 */
const delivery = proxyLocalActivities<CallbackActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

const callerCancelledSignal = defineSignal(CALLER_CANCELLED_SIGNAL);
const cancelReasonSignal = defineSignal<[reason: string]>(CANCEL_REASON_SIGNAL);

interface CallbackLine {
  target: CallbackTarget | undefined;
  report: CallbackReport;
  /** The scope that runs the execution: cancelled if the watcher could not have Temporal do it. */
  executionScope: CancellationScope | undefined;
  watcher: CancellationScope | undefined;
  callerCancelled: boolean;
  /** Why an operator cancelled (cancelExecution's reason), for the caller. */
  cancelReason: string | undefined;
  settling: boolean;
  /** Every delivery is done: a new token can only be answered by a late delivery now. */
  closed: boolean;
  /** A forced cancel froze the target: the termination's own delivery answers it. */
  terminating: boolean;
  /** A cancel update was accepted: the execution must end cancelled. */
  cancelAccepted: boolean;
}

let line: CallbackLine | undefined;

function lineFor(initial: CallbackTarget | undefined): CallbackLine {
  line ??= {
    target: initial,
    report: { state: initial ? 'PENDING' : 'NONE' },
    executionScope: undefined,
    watcher: undefined,
    callerCancelled: false,
    cancelReason: undefined,
    settling: false,
    closed: false,
    terminating: false,
    cancelAccepted: false,
  };
  return line;
}

/**
 * Starts following the caller. Call once, at the start of the execution, from the scope that runs
 * the execution. If the caller's activity is cancelled, the watcher has Temporal cancel the
 * execution (so it ends CANCELLED like any cancelled execution; `cancelledByCaller()` then says
 * why) and `settleCallback` reports the cancellation back; should that request fail, this scope
 * is cancelled instead. Also safe without a callback: a later re-targeting update may bring one.
 * `phase` reads the execution's phase, which the update validators check against;
 * `carriedCancelReason` is a reason the previous run received before it continued as new.
 */
export function watchCallback(callback: CallbackTarget | undefined, phase: () => ExecutionPhase, carriedCancelReason?: string): void {
  const current = lineFor(callback);
  current.cancelReason ??= carriedCancelReason;
  current.executionScope = CancellationScope.current();
  setHandler(retargetCallbackUpdate, (target) => ({ retargeted: retarget(current, target) }), {
    // Accepted while the outcome is being delivered (the delivery loop picks the new target up).
    validator: (_target: CallbackTarget) =>
      refuse(current.closed ? { reason: 'ended', phase: phase() } : changeRejection('IN_PROGRESS', current.terminating)),
  });
  setHandler(
    cancelUpdate,
    (reason) => {
      // No reason given: one recorded earlier (or carried over a continue-as-new) still stands.
      if (reason) current.cancelReason = reason;
      current.cancelAccepted = true;
      // Accepted means cancelled: the execution stops here, whatever Temporal's own cancel request
      // (which the service sends next, for Temporal's status) meets when it arrives.
      current.executionScope?.cancel();
    },
    { validator: (_reason: string) => refuse(changeRejection(phase(), current.terminating)) },
  );
  setHandler(
    prepareTerminationUpdate,
    (_reason: string) => {
      current.terminating = true;
      return current.target ?? null;
    },
    // Repeatable (a retried forced cancel), but not once the execution is delivering its own end.
    { validator: (_reason: string) => refuse(hasEnded(phase()) || current.settling ? { reason: 'ended', phase: phase() } : undefined) },
  );
  setHandler(retargetCallbackSignal, (target) => {
    retarget(current, target);
  });
  setHandler(callerCancelledSignal, () => {
    current.callerCancelled = true;
  });
  setHandler(cancelReasonSignal, (reason) => {
    current.cancelReason = reason;
  });
  startWatcher(current);
}

/** The callback's state right now, for the status query. */
export function callbackReport(): CallbackReport {
  if (!line) return { state: 'NONE' };
  return line.target ? { ...line.report, sealedToken: line.target.sealedToken, namespace: line.target.namespace } : line.report;
}

/** True once a cancel update was accepted: the execution ends cancelled, even if its plan just finished. */
export function cancelAccepted(): boolean {
  return line?.cancelAccepted ?? false;
}

/** True once a forced cancel froze the execution: no change is accepted any more. */
export function terminationPending(): boolean {
  return line?.terminating ?? false;
}

/**
 * The newest callback target (a retarget signal may have replaced the one the execution started
 * with): what a continue-as-new must carry into the next run's arguments.
 */
export function latestCallbackTarget(callback: CallbackTarget | undefined): CallbackTarget | undefined {
  return line ? line.target : callback;
}

/** The operator's cancel reason received so far (carried over continue-as-new). */
export function pendingCancelReason(): string | undefined {
  return line?.cancelReason;
}

/** True once the caller's own activity was cancelled: the execution is being cancelled on its behalf. */
export function cancelledByCaller(): boolean {
  return line?.callerCancelled ?? false;
}

/**
 * Delivers the outcome to the newest token (re-delivering if a retarget arrives meanwhile) and
 * returns the callback's final state. Never throws for a delivery problem: the execution's own
 * result must not depend on the caller still listening. Call inside
 * `CancellationScope.nonCancellable`.
 */
export async function settleCallback(
  callback: CallbackTarget | undefined,
  outcome: ExecutionOutcome,
  status: ExecutionStatus,
): Promise<CallbackReport> {
  const current = lineFor(callback);
  current.settling = true;
  stopWatcher(current);
  let settled: CallbackTarget | undefined;
  while (current.target && current.target !== settled) {
    const target = current.target;
    settled = target;
    // Delivered even when the watcher already judged the caller gone: that verdict may come from
    // a replay racing this very delivery, and a real LOST costs one refused call.
    const report = await deliver(target, outcome, status);
    // A retarget that arrived during the delivery wins: the loop delivers to it next.
    if (current.target === target) current.report = report;
  }
  current.closed = true;
  return current.report;
}

/** Returns false when the target is the current one (nothing changed). */
function retarget(current: CallbackLine, target: CallbackTarget): boolean {
  // A repeated executeAsync from the same caller activity (sealing is deterministic): nothing new.
  if (current.target && sameCaller(current.target, target)) return false;
  log.info('callback re-targeted', { tokenHint: target.tokenHint, namespace: target.namespace });
  stopWatcher(current);
  current.target = target;
  current.report = { state: 'PENDING' };
  publishState({ callbackState: 'PENDING' });
  if (!current.settling) startWatcher(current);
  return true;
}

function sameCaller(a: CallbackTarget, b: CallbackTarget): boolean {
  return a.sealedToken === b.sealedToken && a.namespace === b.namespace;
}

function startWatcher(current: CallbackLine): void {
  const target = current.target;
  if (!target) return;
  const intervalMs = target.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const watcherActivities = proxyActivities<CallbackActivities>({
    startToCloseTimeout: '3650 days',
    heartbeatTimeout: Math.max(3 * intervalMs, 5_000),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const scope = new CancellationScope();
  current.watcher = scope;
  scope
    .run(async () => {
      // Executions that end within one interval never need a watcher: a timer is far cheaper
      // than an activity, and the caller's heartbeat timeout must exceed the interval anyway.
      await sleep(intervalMs);
      return watcherActivities.watchCaller(target, intervalMs);
    })
    .then(
      (ending) => onWatchEnded(current, target, ending),
      (err: unknown) => {
        if (!isCancellation(err)) log.warn('callback watcher failed', { tokenHint: target.tokenHint, error: String(err) });
      },
    );
}

function stopWatcher(current: CallbackLine): void {
  current.watcher?.cancel();
  current.watcher = undefined;
}

function onWatchEnded(current: CallbackLine, target: CallbackTarget, ending: WatchEnding): void {
  if (current.target !== target || current.settling) return;
  current.watcher = undefined;
  switch (ending.kind) {
    case 'caller-cancelled':
      current.callerCancelled = true;
      // Normally a real cancellation request is already on its way; this is the fallback.
      if (!ending.executionCancelRequested) current.executionScope?.cancel();
      return;
    // The delivery at the end confirms these (and warns); until then the status shows them.
    case 'caller-gone':
      current.report = { state: 'LOST', lastError: ending.error };
      publishState({ callbackState: 'LOST' });
      log.info('the caller stopped listening; the execution goes on', { tokenHint: target.tokenHint, error: ending.error });
      return;
    case 'undeliverable':
      current.report = { state: 'FAILED_DELIVERY', lastError: ending.error };
      publishState({ callbackState: 'FAILED_DELIVERY' });
      log.info('the callback token is unusable; the execution goes on', { tokenHint: target.tokenHint, error: ending.error });
      return;
  }
}

async function deliver(target: CallbackTarget, outcome: ExecutionOutcome, status: ExecutionStatus): Promise<CallbackReport> {
  try {
    const report: DeliveryReport = await deliverOnce(target, outcome, status);
    return report.state === 'COMPLETED' ? { state: 'COMPLETED' } : { state: report.state, lastError: report.error };
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err);
    return { state: 'FAILED_DELIVERY', lastError: `delivery retries exhausted: ${cause}` };
  }
}

function deliverOnce(target: CallbackTarget, outcome: ExecutionOutcome, status: ExecutionStatus): Promise<DeliveryReport> {
  switch (outcome.kind) {
    case 'completed':
      return delivery.completeCallback(target, outcome.output);
    case 'failed':
      return delivery.failCallback(target, callbackFailure(outcome.error, status.executionId, status.currentTask));
    case 'cancelled': {
      const reason = outcome.reason ?? line?.cancelReason;
      return delivery.cancelCallback(target, {
        workflow_execution_id: status.executionId,
        ...(reason === undefined ? {} : { reason }),
      });
    }
  }
}
