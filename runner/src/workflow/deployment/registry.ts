/**
 * The deployment registry workflow: holds one deployed document and owns its Temporal Schedule.
 * Updates run one at a time (a later deploy never overtakes an earlier one's schedule change), the
 * schedule is changed by an activity inside the deploy Update (so the Update's answer means the
 * schedule matches), and the history is cut by continue-as-new, carrying only the current state.
 */
import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DEPLOYMENT_MEMO_KEY,
  deploymentQuery,
  deployUpdate,
  scheduleIdOf,
  undeployUpdate,
} from '../../contract/index.ts';
import type { DeployDocument, DeploymentActivities, DeploymentArgs, DeploymentState, DeploymentSummary, DeployResult } from '../../contract/index.ts';

/** Each deploy records its document; past this many events or bytes the registry starts afresh. */
const MAX_HISTORY_EVENTS = 2_000;
const MAX_HISTORY_BYTES = 8 * 1024 * 1024;

export async function batonDeployment(args: DeploymentArgs): Promise<void> {
  const { upsertSchedule, deleteSchedule } = proxyActivities<DeploymentActivities>({
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

  setHandler(deploymentQuery, () => (removed ? undefined : state));

  setHandler(deployUpdate, (document: DeployDocument) =>
    oneAtATime(async (): Promise<DeployResult> => {
      const previous = removed ? undefined : state;
      removed = false;
      if (previous && previous.digest === document.digest) {
        return { changed: false, summary: summaryOf(previous), schedule: 'none' };
      }
      const next: DeploymentState = { ...document, revision: (previous?.revision ?? 0) + 1, deployedAt: new Date(Date.now()).toISOString() };
      let schedule: DeployResult['schedule'] = 'none';
      const scheduleId = scheduleIdOf(args.ref);
      if (next.schedule) {
        schedule = await upsertSchedule({ ref: args.ref, scheduleId, taskQueue: args.taskQueue, yaml: next.yaml, schedule: next.schedule, revision: next.revision });
      } else if (previous?.schedule) {
        await deleteSchedule(scheduleId);
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
      if (state.schedule) await deleteSchedule(scheduleIdOf(args.ref));
      removed = true;
      upsertMemo({ [DEPLOYMENT_MEMO_KEY]: null });
    }),
  );

  for (;;) {
    await condition(() => removed || historyTooLong());
    await condition(allHandlersFinished);
    // A deploy that arrived while the undeploy finished brings the deployment back.
    if (removed) return;
    if (historyTooLong()) {
      const memo = state ? { [DEPLOYMENT_MEMO_KEY]: summaryOf(state) } : {};
      return makeContinueAsNewFunc<typeof batonDeployment>({ memo })({ ...args, ...(state ? { state } : {}) });
    }
  }
}

function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS || info.historySize > MAX_HISTORY_BYTES;
}

function summaryOf(state: DeploymentState): DeploymentSummary {
  const { yaml: _yaml, ...summary } = state;
  return state.schedule ? { ...summary, scheduleId: scheduleIdOf(state.ref) } : summary;
}
