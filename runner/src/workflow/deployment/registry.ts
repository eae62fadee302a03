/**
 * The deployment registry workflow: holds one deployed document and owns its schedule — a Temporal
 * Schedule for `every`/`cron`, its own loop of child runs for `after` (scheduled-runs.ts), and a
 * subscription to the runner's event router for `on` (event-trigger.ts).
 * Updates run one at a time (a later deploy never overtakes an earlier one's schedule change), the
 * schedule is changed by an activity inside the deploy Update (so the Update's answer means the
 * schedule matches), and the history is cut by continue-as-new, carrying only the current state.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  clockScheduleId,
  DEPLOYMENT_MEMO_KEY,
  deploymentQuery,
  deploymentWorkflowId,
  deployUpdate,
  eventRouterWorkflowId,
  pauseRunsUpdate,
  scheduledRunsQuery,
  scheduleIdFor,
  triggeredRunsQuery,
  triggerRunUpdate,
  undeployUpdate,
  unsubscribeEventsSignal,
} from '../../contract/index.ts';
import type { DeployDocument, DeploymentActivities, DeploymentArgs, DeploymentState, DeploymentSummary, DeployResult, EventActivities } from '../../contract/index.ts';

import { EventTrigger, TRIGGER_SUBSCRIPTION_KEY } from './event-trigger.ts';
import type { TriggerDocument } from './event-trigger.ts';
import { ScheduledRunLoop } from './scheduled-runs.ts';

/** Each deploy records its document; past this many events or bytes the registry starts afresh. */
const MAX_HISTORY_EVENTS = 2_000;
const MAX_HISTORY_BYTES = 8 * 1024 * 1024;
/** Registries recorded before `after` schedules existed never start runs themselves. */
const SCHEDULED_RUNS_PATCH = 'baton-deployment-after-schedule';

export async function batonDeployment(args: DeploymentArgs): Promise<void> {
  const { upsertSchedule, deleteSchedule, scheduledRunArgs } = proxyActivities<DeploymentActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', maximumAttempts: 10 },
  });
  const { subscribeEvents } = proxyActivities<EventActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', maximumAttempts: 10 },
  });
  let state: DeploymentState | undefined = args.state;
  let removed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const afterDocument = () => (!removed && state?.schedule?.kind === 'after' ? (state as DeploymentState & { schedule: { kind: 'after'; afterMs: number } }) : undefined);
  const runs = new ScheduledRunLoop({ ref: args.ref, taskQueue: args.taskQueue, document: afterDocument, runArgs: scheduledRunArgs }, args.runs);

  const triggerDocument = () => (!removed && state?.schedule?.kind === 'on' ? (state as TriggerDocument) : undefined);
  // Nothing in histories recorded before `schedule.on` compiled can reach the trigger: no patch is needed.
  const trigger = new EventTrigger({ ref: args.ref, taskQueue: args.taskQueue, document: triggerDocument, runArgs: scheduledRunArgs }, args.triggered);
  const registryId = deploymentWorkflowId(args.ref);
  const unsubscribe = () =>
    getExternalWorkflowHandle(eventRouterWorkflowId(args.taskQueue))
      .signal(unsubscribeEventsSignal, { workflowId: registryId, key: TRIGGER_SUBSCRIPTION_KEY })
      .catch(() => undefined);

  setHandler(deploymentQuery, () => (removed ? undefined : state));
  setHandler(scheduledRunsQuery, () => (afterDocument() ? runs.view() : undefined));
  setHandler(triggeredRunsQuery, () => (triggerDocument() ? trigger.view() : undefined));
  const withAfterSchedule = () => {
    if (!afterDocument()) throw new Error(`${args.ref.namespace}/${args.ref.name}/${args.ref.version} has no after schedule`);
  };
  setHandler(pauseRunsUpdate, (paused: boolean, note: string) => runs.pause(paused, note), { validator: (_paused: boolean, _note: string) => withAfterSchedule() });
  setHandler(triggerRunUpdate, () => runs.trigger(), { validator: withAfterSchedule });

  setHandler(deployUpdate, (document: DeployDocument) =>
    oneAtATime(async (): Promise<DeployResult> => {
      const previous = removed ? undefined : state;
      removed = false;
      if (previous && previous.digest === document.digest) {
        return { changed: false, summary: summaryOf(previous), schedule: 'none' };
      }
      const next: DeploymentState = { ...document, revision: (previous?.revision ?? 0) + 1, deployedAt: new Date(Date.now()).toISOString() };
      let schedule: DeployResult['schedule'] = 'none';
      const scheduleId = clockScheduleId(next);
      const hadTemporalSchedule = previous?.schedule?.kind === 'every' || previous?.schedule?.kind === 'cron';
      // The Temporal Schedule the previous revision had: another id when the document renamed it.
      const previousScheduleId = previous ? clockScheduleId(previous) : scheduleId;
      if (previous?.schedule?.kind === 'on' && next.schedule?.kind !== 'on') await unsubscribe();
      if (next.schedule?.kind === 'on') {
        if (hadTemporalSchedule) await deleteSchedule(previousScheduleId);
        // The same key again replaces the filters in place: no moment without a subscription.
        await subscribeEvents({ workflowId: registryId, key: TRIGGER_SUBSCRIPTION_KEY, filters: trigger.routeFilters(next as TriggerDocument) });
        schedule = previous?.schedule?.kind === 'on' ? 'updated' : 'created';
        trigger.redeployed();
      } else if (next.schedule?.kind === 'after') {
        // The loop below runs it; a Temporal Schedule from an earlier revision must not run it too.
        if (hadTemporalSchedule) await deleteSchedule(previousScheduleId);
        schedule = previous?.schedule?.kind === 'after' ? 'updated' : 'created';
        runs.redeployed();
      } else if (next.schedule) {
        // The new schedule first: should its id be taken, the update fails with nothing changed.
        schedule = await upsertSchedule({ ref: args.ref, scheduleId, taskQueue: args.taskQueue, yaml: next.yaml, schedule: next.schedule, revision: next.revision });
        if (hadTemporalSchedule && previousScheduleId !== scheduleId) {
          await deleteSchedule(previousScheduleId);
          schedule = 'replaced';
        }
      } else if (hadTemporalSchedule) {
        await deleteSchedule(previousScheduleId);
        schedule = 'removed';
      } else if (previous?.schedule) {
        schedule = 'removed';
      }
      state = next;
      upsertMemo({ [DEPLOYMENT_MEMO_KEY]: summaryOf(next) });
      return { changed: true, summary: summaryOf(next), schedule };
    }),
  {
    validator: (document: DeployDocument) => {
      const { ref } = document ?? {};
      if (!ref || ref.namespace !== args.ref.namespace || ref.name !== args.ref.name || ref.version !== args.ref.version) {
        throw new Error('the document does not belong to this deployment');
      }
    },
  });

  setHandler(undeployUpdate, () =>
    oneAtATime(async () => {
      if (removed || !state) return;
      if (state.schedule?.kind === 'every' || state.schedule?.kind === 'cron') await deleteSchedule(clockScheduleId(state));
      if (state.schedule?.kind === 'on') await unsubscribe();
      removed = true;
      runs.reset();
      trigger.reset();
      upsertMemo({ [DEPLOYMENT_MEMO_KEY]: null });
    }),
  );

  for (;;) {
    await condition(() => removed || historyTooLong() || afterDocument() !== undefined || trigger.pending);
    if (!removed && !historyTooLong() && trigger.pending) await trigger.handleQueued(() => removed || historyTooLong());
    if (!removed && !historyTooLong() && afterDocument()) {
      if (patched(SCHEDULED_RUNS_PATCH)) await runs.serve(() => removed || historyTooLong(), () => removed);
      else await condition(() => removed || historyTooLong());
    }
    await condition(allHandlersFinished);
    // A deploy that arrived while the undeploy finished brings the deployment back.
    if (removed) return;
    if (historyTooLong()) {
      const memo = state ? { [DEPLOYMENT_MEMO_KEY]: summaryOf(state) } : {};
      return makeContinueAsNewFunc<typeof batonDeployment>({ memo })({ ...args, ...(state ? { state } : {}), ...(afterDocument() ? { runs: runs.carried() } : {}), ...(triggerDocument() ? { triggered: trigger.carried() } : {}) });
    }
  }
}

function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS || info.historySize > MAX_HISTORY_BYTES;
}

function summaryOf(state: DeploymentState): DeploymentSummary {
  const { yaml: _yaml, ...summary } = state;
  return state.schedule ? { ...summary, scheduleId: scheduleIdFor(state, state.schedule) } : summary;
}
