/**
 * The deployment activities, registered on the runner's worker: the registry workflow changes its
 * document's Temporal Schedule through them, and `run: workflow` looks deployed documents up.
 * They compile the stored YAML with this runner's compiler, so a plan always has the format the
 * workers that run it read.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowNotFoundError } from '@temporalio/client';
import type { Client, ScheduleSpec as TemporalScheduleSpec } from '@temporalio/client';
import type { ClockScheduleSpec, Plan } from '@baton/dsl';
import type { CompileWorkflow } from '../service/requests.ts';
import { scheduledRunInput } from './schedule-input.ts';
import { describeOwner, scheduleOwner } from './schedule-owner.ts';
import { deploymentQuery, deploymentWorkflowId, DEPLOYMENT_MEMO_KEY, INTERPRETER_WORKFLOW_TYPE, refKey, SCHEDULE_ID_TAKEN } from '../contract/index.ts';
import type {
  DeploymentActivities,
  DeploymentLookupActivities,
  InterpreterArgs,
  InterpreterConfiguredLimits,
  ScheduleSync,
  WorkflowRef,
} from '../contract/index.ts';

export interface DeploymentActivityOptions {
  /** A client of the runner's namespace, with the runner's data converter (schedule args are encrypted like any start). */
  readonly client: Client;
  readonly compile: CompileWorkflow;
  readonly limits?: InterpreterConfiguredLimits;
  /** Zigflow's `$env`, handed to scheduled runs as executeAsync hands it to every execution. */
  readonly env?: Readonly<Record<string, string>>;
}

export function createDeploymentActivities(options: DeploymentActivityOptions): DeploymentActivities & DeploymentLookupActivities {
  const { client } = options;
  const planOf = (yaml: string, ref: WorkflowRef): Plan => {
    const compiled = options.compile(yaml, { file: refKey(ref) });
    if (compiled.ok) return compiled.plan;
    // Deployed documents were valid when deployed: only a runner with stricter rules gets here.
    const first = compiled.diagnostics[0];
    throw ApplicationFailure.nonRetryable(
      `the deployed document ${refKey(ref)} does not compile on this runner: ${first ? `[${first.code}] ${first.message}` : 'no diagnostics'}`,
      'DEPLOYMENT_INVALID',
    );
  };

  /**
   * A scheduled run's arguments: input `{}` (or a Zigflow document's `scheduleInput`), this
   * runner's limits and `$env`, as executeAsync gives every execution.
   */
  const runArgs = (yaml: string, ref: WorkflowRef): InterpreterArgs => {
    const plan = planOf(yaml, ref);
    return {
      executionId: '',
      plan,
      input: scheduledRunInput(plan.scheduleInput, options.env),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.env ? { env: options.env } : {}),
    };
  };

  return {
    async upsertSchedule(sync: ScheduleSync) {
      const args = runArgs(sync.yaml, sync.ref);
      const spec = temporalSpec(sync.schedule);
      const action = {
        type: 'startWorkflow' as const,
        workflowType: INTERPRETER_WORKFLOW_TYPE,
        // Temporal appends the scheduled time, so every run gets its own execution id.
        workflowId: `baton-scheduled/${refKey(sync.ref)}`,
        taskQueue: sync.taskQueue,
        args: [args],
      };
      try {
        await client.schedule.create({
          scheduleId: sync.scheduleId,
          spec,
          action,
          policies: { overlap: ScheduleOverlapPolicy.SKIP },
          memo: { [DEPLOYMENT_MEMO_KEY]: sync.ref },
        });
        return 'created';
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      }
      const owner = await scheduleOwner(client, sync.scheduleId);
      // Deleted since the create was refused: the activity's retry creates it.
      if (owner.kind === 'absent') throw new Error(`the Temporal Schedule ${sync.scheduleId} went away while it was written`);
      if (owner.kind !== 'deployment' || owner.key !== refKey(sync.ref)) {
        // Two deploys asking for one id at once, past the service's check: the later one loses.
        throw ApplicationFailure.nonRetryable(`the Temporal Schedule ${sync.scheduleId} belongs to ${describeOwner(owner)}`, SCHEDULE_ID_TAKEN);
      }
      // In place: the id, its paused state and its run history stay; only what and when change.
      await client.schedule.getHandle(sync.scheduleId).update((previous) => ({ ...previous, spec, action }));
      return 'updated';
    },

    async deleteSchedule(scheduleId: string) {
      try {
        await client.schedule.getHandle(scheduleId).delete();
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      }
    },

    async scheduledRunArgs(ref: WorkflowRef, yaml: string) {
      return runArgs(yaml, ref);
    },

    async lookUpDeployment(ref: WorkflowRef) {
      let state;
      try {
        state = await client.workflow.getHandle(deploymentWorkflowId(ref)).query(deploymentQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
      return state ? planOf(state.yaml, ref) : undefined;
    },
  };
}

function temporalSpec(schedule: ClockScheduleSpec): TemporalScheduleSpec {
  return schedule.kind === 'every' ? { intervals: [{ every: schedule.everyMs }] } : { cronExpressions: [schedule.cron] };
}
