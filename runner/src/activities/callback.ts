/**
 * The callback system activities, registered on the runner's worker. The interpreter workflow
 * calls them (through runner/src/workflow/callback.ts) to hand its outcome to the caller's parked
 * activity and to keep that activity heartbeated while the execution runs.
 */
import { Context, log } from '@temporalio/activity';
import { WorkflowClient, WorkflowNotFoundError } from '@temporalio/client';
import type { CallbackTarget } from '../contract/index.ts';
import { createCallerLink } from './callback/caller.ts';
import type { CallerAction, CallerLink, CallerLinkOptions } from './callback/caller.ts';
import { DeliveryMemo } from './callback/memo.ts';
import { recordDelivery } from './callback/metrics.ts';
import type { PendingCallbacks } from './callback/pending.ts';
import { CALLER_CANCELLED_SIGNAL } from '../contract/index.ts';
import type { CallbackActivities, DeliveryReport, TerminationResult, WatchEnding } from '../contract/index.ts';

export type { CallbackActivities } from '../contract/index.ts';

export interface CallbackActivityOptions extends CallerLinkOptions {
  /** Shares one link (and its per-namespace clients) with the service; built from the options otherwise. */
  readonly link?: CallerLink;
  /** Counts the callbacks this worker watches, by age; none counted when absent. */
  readonly pending?: PendingCallbacks;
}

export function createCallbackActivities(options: CallbackActivityOptions): CallbackActivities {
  const link = options.link ?? createCallerLink(options);
  const workflowClients = new Map<string, WorkflowClient>();
  const delivered = new DeliveryMemo();

  /**
   * The caller cancelled: ask Temporal to cancel this execution, so it ends CANCELLED exactly as
   * with cancelExecution. False when that failed (the workflow then cancels its own scope).
   */
  const workflowClientFor = (context: Context): WorkflowClient => {
    const namespace = context.info.workflowNamespace ?? options.defaultNamespace;
    let client = workflowClients.get(namespace);
    if (!client) {
      client = new WorkflowClient({ connection: options.connection, namespace });
      workflowClients.set(namespace, client);
    }
    return client;
  };

  const requestCancellation = async (context: Context): Promise<boolean> => {
    const { workflowExecution } = context.info;
    if (!workflowExecution) return false;
    const client = workflowClientFor(context);
    try {
      const handle = client.getHandle(workflowExecution.workflowId, workflowExecution.runId);
      await handle.signal(CALLER_CANCELLED_SIGNAL);
      await handle.cancel();
      return true;
    } catch (err) {
      log.warn('could not request cancellation of the execution', { error: String(err) });
      return false;
    }
  };

  const deliver = async (executionId: string, target: CallbackTarget, action: CallerAction): Promise<DeliveryReport> => {
    const key = `${executionId}\n${target.namespace}\n${target.sealedToken}`;
    // A local activity runs again when the workflow task that ran it is rejected; the caller was
    // answered then, and asking Temporal again would only earn a "not found" (read as LOST).
    const earlier = delivered.get(key);
    if (earlier) return earlier;
    const started = performance.now();
    const report = await link.deliver(target, executionId, action);
    recordDelivery(Context.current().metricMeter, action.kind, report, performance.now() - started);
    const fields = { executionId, tokenHint: target.tokenHint, namespace: target.namespace, action: action.kind };
    if (report.state === 'COMPLETED') {
      delivered.set(key, report);
      log.info('callback delivered', fields);
    } else {
      log.warn(`callback not delivered (${report.state})`, { ...fields, error: report.error });
    }
    return report;
  };

  return {
    completeCallback: (target, output) => deliver(executionIdOf(Context.current()), target, { kind: 'complete', output }),
    failCallback: (target, failure) => deliver(executionIdOf(Context.current()), target, { kind: 'fail', failure }),
    cancelCallback: (target, cancellation) => deliver(executionIdOf(Context.current()), target, { kind: 'cancel', cancellation }),
    deliverCallback: (executionId, target, action) => deliver(executionId, target, action),

    async terminateExecution(executionId, reason): Promise<TerminationResult> {
      const handle = workflowClientFor(Context.current()).getHandle(executionId);
      try {
        await handle.terminate(reason);
        return 'terminated';
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      // Already closed: by an earlier attempt of this activity, or on its own.
      const { status } = await handle.describe();
      return status.name === 'TERMINATED' ? 'terminated' : 'ended-otherwise';
    },

    async watchCaller(target, intervalMs): Promise<WatchEnding> {
      const context = Context.current();
      const executionId = executionIdOf(context);
      let cancelRequested = false;
      // The watcher is scheduled one interval after the callback began (workflow/callback.ts), and
      // a retried watcher keeps its first schedule time: the age survives a worker's death.
      const stopCounting = options.pending?.watch(context.info.scheduledTimestampMs - intervalMs);
      try {
        return await watchUntilEnded();
      } finally {
        stopCounting?.();
      }

      async function watchUntilEnded(): Promise<WatchEnding> {
        for (;;) {
          try {
            if (!cancelRequested) {
              const answer = await link.heartbeat(target, executionId);
              // Stopped by the workflow meanwhile: whatever the caller said no longer matters.
              context.cancellationSignal.throwIfAborted();
              if (answer === 'cancelled') {
                log.info("the caller's activity was cancelled; cancelling the execution", { executionId, tokenHint: target.tokenHint });
                // Once Temporal has the request, wait to be stopped by the workflow's cancellation
                // path: ending now would race that path's last workflow task.
                cancelRequested = await requestCancellation(context);
                if (!cancelRequested) return { kind: 'caller-cancelled', executionCancelRequested: false };
              } else if (answer !== 'listening') {
                log.info(`caller stopped listening (${answer.state})`, { executionId, tokenHint: target.tokenHint, error: answer.error });
                return answer.state === 'LOST' ? { kind: 'caller-gone', error: answer.error } : { kind: 'undeliverable', error: answer.error };
              }
            }
          } catch (err) {
            if (context.cancellationSignal.aborted) throw err;
            // Temporal briefly unreachable: keep watching; our own heartbeat timeout covers a dead worker.
            log.warn('could not heartbeat the caller; will retry', { executionId, tokenHint: target.tokenHint, error: String(err) });
          }
          context.heartbeat();
          await context.sleep(intervalMs);
        }
      }
    },
  };
}

/** The sealed token is bound to the execution id, which is the workflow id. */
function executionIdOf(context: Context): string {
  return context.info.workflowExecution?.workflowId ?? '';
}
