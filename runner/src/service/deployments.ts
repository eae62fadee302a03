/**
 * Deployed documents as the service sees them. Nothing is kept here: each deployment is its
 * registry workflow in Temporal (runner/src/workflow/deployment/), changed by Updates and read by
 * its query; listings come from Temporal's visibility (the registry's memo), schedules from
 * Temporal's schedule API, or from the registry itself for an `after` schedule. Any runner on the same namespace gives the same answers.
 */
import { createHash } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ScheduleNotFoundError, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import type { EventConsumption, EventFilterSpec, Plan, ScheduleSpec } from '@baton/dsl';
import {
  clockScheduleId,
  DEPLOYMENT_MEMO_KEY,
  DEPLOYMENT_WORKFLOW_TYPE,
  deploymentQuery,
  deploymentWorkflowId,
  deployUpdate,
  MAX_REF_KEY_BYTES,
  pauseRunsUpdate,
  refKey,
  SCHEDULE_ID_TAKEN,
  scheduledRunsQuery,
  scheduleIdOf,
  triggeredRunsQuery,
  triggerRunUpdate,
  undeployUpdate,
} from '../contract/index.ts';
import type { DeployDocument, DeploymentArgs, DeploymentState, DeploymentSummary, DeployResult, ScheduledRunsView, WorkflowRef } from '../contract/index.ts';
import { describeOwner, scheduleOwner } from '../activities/schedule-owner.ts';
import { RpcError } from './errors.ts';
import type { CompileWorkflow } from './requests.ts';

export interface DeploymentsOptions {
  readonly client: Client;
  readonly taskQueue: string;
  readonly compile: CompileWorkflow;
  /** Bound on each call to Temporal, so a dead server gives UNAVAILABLE instead of a hang. */
  readonly temporalTimeoutMs?: number;
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
}

export interface ScheduleView {
  readonly scheduleId: string;
  readonly ref: WorkflowRef;
  readonly spec: string;
  readonly paused: boolean;
  readonly note?: string;
  readonly nextRunTimes: readonly Date[];
  readonly lastRun?: { readonly at: Date; readonly executionId: string };
}

const MAX_CACHED_PLANS = 256;

/** A deploy that meets a registry just closing (undeployed a moment ago) is sent again this often. */
const DEPLOY_ATTEMPTS = 3;

export class Deployments {
  private readonly client: Client;
  private readonly timeoutMs: number;
  /** Compiled plans by deployment key, each with the digest it was compiled from. */
  private readonly plans = new Map<string, { readonly digest: string; readonly plan: Plan }>();

  constructor(private readonly options: DeploymentsOptions) {
    this.client = options.client;
    this.timeoutMs = options.temporalTimeoutMs ?? 10_000;
  }

  /** Registers the compiled document under its document block's namespace/name/version. */
  async deploy(yaml: string, plan: Plan): Promise<DeployResult> {
    const { namespace, name, version, title, summary } = plan.document;
    const ref: WorkflowRef = { namespace, name, version };
    if (Buffer.byteLength(refKey(ref)) > MAX_REF_KEY_BYTES) {
      throw new RpcError(
        GrpcStatus.INVALID_ARGUMENT,
        `the deployment key ${refKey(ref).slice(0, 80)}… is ${Buffer.byteLength(refKey(ref))} bytes, more than the ${MAX_REF_KEY_BYTES} a deployment may have: shorten document.version`,
      );
    }
    const document: DeployDocument = {
      ref,
      yaml,
      digest: createHash('sha256').update(yaml).digest('hex'),
      ...(plan.schedule ? { schedule: plan.schedule } : {}),
      ...(plan.scheduleId ? { scheduleId: plan.scheduleId } : {}),
      ...(title ? { title } : {}),
      ...(summary ? { summary } : {}),
    };
    if (document.scheduleId) await this.refuseTakenScheduleId(document.scheduleId, ref);
    const args: DeploymentArgs = { ref, taskQueue: this.options.taskQueue };
    for (let attempt = 1; ; attempt++) {
      const startWorkflowOperation = new WithStartWorkflowOperation(DEPLOYMENT_WORKFLOW_TYPE, {
        workflowId: deploymentWorkflowId(ref),
        taskQueue: this.options.taskQueue,
        args: [args],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: `deployment of ${refKey(ref)}`,
      });
      try {
        return await this.temporal(() => this.client.workflow.executeUpdateWithStart(deployUpdate, { args: [document], startWorkflowOperation }));
      } catch (error) {
        // The registry closed between the server choosing it and the update arriving: start afresh.
        if (attempt >= DEPLOY_ATTEMPTS || !closedUnderneath(error)) throw updateError(error, ref);
      }
    }
  }

  /**
   * A schedule id the document asks for (Zigflow's `scheduleId`) that another deployment's
   * schedule, or a schedule Baton did not make, already has: refused before anything changes.
   * (Two deploys racing for one id are settled by the registry's upsert, which refuses the later.)
   */
  private async refuseTakenScheduleId(scheduleId: string, ref: WorkflowRef): Promise<void> {
    const owner = await this.temporal(() => scheduleOwner(this.client, scheduleId));
    if (owner.kind === 'absent' || (owner.kind === 'deployment' && owner.key === refKey(ref))) return;
    throw scheduleIdTaken(scheduleId, describeOwner(owner));
  }

  async undeploy(ref: WorkflowRef): Promise<void> {
    const handle = this.client.workflow.getHandle(deploymentWorkflowId(ref));
    if (!(await this.state(ref))) throw notDeployed(ref);
    try {
      await this.temporal(() => handle.executeUpdate(undeployUpdate));
    } catch (error) {
      throw closedUnderneath(error) ? notDeployed(ref) : updateError(error, ref);
    }
  }

  /** The deployed document's state, or undefined when nothing is deployed under ref. */
  async state(ref: WorkflowRef): Promise<DeploymentState | undefined> {
    try {
      return await this.temporal(() => this.client.workflow.getHandle(deploymentWorkflowId(ref)).query(deploymentQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The compiled plan of a deployed document, for a start by reference; NOT_FOUND when none.
   * The registry's memo (read by describe, which needs no worker) says whether and which revision
   * is deployed; the document itself comes from the query only when this process has not compiled
   * that digest yet. The plans kept are a cache checked against Temporal on every call, not state.
   */
  async plan(ref: WorkflowRef): Promise<Plan> {
    const key = refKey(ref);
    let description;
    try {
      description = await this.temporal(() => this.client.workflow.getHandle(deploymentWorkflowId(ref)).describe());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notDeployed(ref);
      throw error;
    }
    const summary = description.memo?.[DEPLOYMENT_MEMO_KEY] as DeploymentSummary | null | undefined;
    if (description.status.name !== 'RUNNING' || !summary) throw notDeployed(ref);
    const cached = this.plans.get(key);
    if (cached?.digest === summary.digest) return cached.plan;
    const state = await this.state(ref);
    if (!state) throw notDeployed(ref);
    const compiled = this.options.compile(state.yaml, { file: key });
    if (!compiled.ok) {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `the deployed document ${key} no longer compiles on this runner: deploy it again`);
    }
    this.plans.delete(key);
    this.plans.set(key, { digest: state.digest, plan: compiled.plan });
    for (const [oldest] of this.plans) {
      if (this.plans.size <= MAX_CACHED_PLANS) break;
      this.plans.delete(oldest);
    }
    return compiled.plan;
  }

  /**
   * Every deployment (of one document namespace when given), sorted by key. The memos are decoded
   * one by one: a registry written with a codec key this runner does not hold is skipped (and
   * counted) rather than failing the whole listing.
   */
  async list(namespace = ''): Promise<DeploymentSummary[]> {
    const query = `WorkflowType = '${DEPLOYMENT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
    const found: DeploymentSummary[] = [];
    let unreadable = 0;
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.temporal(() =>
        this.client.workflowService.listWorkflowExecutions({ namespace: this.client.options.namespace, query, pageSize: 1000, nextPageToken }),
      );
      for (const execution of page.executions ?? []) {
        const field = execution.memo?.fields?.[DEPLOYMENT_MEMO_KEY];
        if (!field) continue;
        const summary = await this.decode<DeploymentSummary | null>(field).catch(() => {
          unreadable++;
          return null;
        });
        if (summary?.ref && (namespace === '' || summary.ref.namespace === namespace)) found.push(summary);
      }
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
    if (unreadable > 0) this.options.warn?.('deployments whose memo this runner cannot decode (another codec key?) were left out', { unreadable });
    return found.sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref)));
  }

  private async decode<T>(payload: Payload): Promise<T> {
    const { payloadCodecs, payloadConverter } = this.client.options.loadedDataConverter;
    let decoded = [payload];
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return payloadConverter.fromPayload<T>(decoded[0]!);
  }

  /** The schedules of the deployments, each described by Temporal (next run times, paused, last run). */
  async schedules(namespace = ''): Promise<ScheduleView[]> {
    const scheduled = (await this.list(namespace)).filter((deployment) => deployment.schedule);
    const views = await Promise.all(scheduled.map((deployment) => this.describeSchedule(deployment, deployment.schedule!).catch(() => undefined)));
    return views.filter((view): view is ScheduleView => view !== undefined);
  }

  async pauseSchedule(ref: WorkflowRef, reason: string): Promise<void> {
    const note = reason || 'paused through Baton';
    const state = await this.scheduledState(ref);
    if (state.schedule.kind === 'after') return this.changeRuns(ref, (handle) => handle.executeUpdate(pauseRunsUpdate, { args: [true, note] }));
    await this.temporal(() => this.client.schedule.getHandle(clockScheduleId(state)).pause(note));
  }

  async resumeSchedule(ref: WorkflowRef, reason: string): Promise<void> {
    const note = reason || 'resumed through Baton';
    const state = await this.scheduledState(ref);
    if (state.schedule.kind === 'after') return this.changeRuns(ref, (handle) => handle.executeUpdate(pauseRunsUpdate, { args: [false, note] }));
    await this.temporal(() => this.client.schedule.getHandle(clockScheduleId(state)).unpause(note));
  }

  /**
   * Starts one run now. For an `after` schedule, only between runs: its next run is due `after` the
   * one going ends, and two runs at once are what the schedule exists to prevent.
   */
  async triggerSchedule(ref: WorkflowRef): Promise<void> {
    const state = await this.scheduledState(ref);
    if (state.schedule.kind !== 'after') {
      await this.temporal(() => this.client.schedule.getHandle(clockScheduleId(state)).trigger());
      return;
    }
    const running = (await this.runsView(ref))?.running;
    if (running) {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `${refKey(ref)} has a run going (${running}); with schedule.after the next starts once it ends`);
    }
    await this.changeRuns(ref, (handle) => handle.executeUpdate(triggerRunUpdate));
  }

  /** The deployment whose schedule pause, resume and trigger act on: a clock or `after` one (an event trigger has no clock to pause). */
  private async scheduledState(ref: WorkflowRef): Promise<DeploymentState & { readonly schedule: Exclude<ScheduleSpec, { kind: 'on' }> }> {
    const state = await this.state(ref);
    if (!state) throw notDeployed(ref);
    if (!state.schedule) throw new RpcError(GrpcStatus.NOT_FOUND, `${refKey(ref)} is deployed without a schedule`);
    if (state.schedule.kind === 'on') {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `${refKey(ref)} runs on events (schedule.on): publish an event to start it, undeploy it to stop it`);
    }
    return { ...state, schedule: state.schedule };
  }

  /** An `after` schedule is the registry workflow's own: it is changed by an Update of that workflow. */
  private async changeRuns(ref: WorkflowRef, change: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
    try {
      await this.temporal(() => change(this.client.workflow.getHandle(deploymentWorkflowId(ref))));
    } catch (error) {
      throw closedUnderneath(error) ? notDeployed(ref) : updateError(error, ref);
    }
  }

  private async runsView(ref: WorkflowRef): Promise<ScheduledRunsView | undefined> {
    try {
      return await this.temporal(() => this.client.workflow.getHandle(deploymentWorkflowId(ref)).query(scheduledRunsQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  private async describeSchedule(deployment: DeploymentSummary, schedule: ScheduleSpec): Promise<ScheduleView> {
    const { ref } = deployment;
    if (schedule.kind === 'after') return this.describeRuns(ref, schedule);
    if (schedule.kind === 'on') return this.describeTrigger(ref, schedule);
    // The memo's effective id; a summary from before ids could be chosen has Baton's.
    const scheduleId = deployment.scheduleId ?? scheduleIdOf(ref);
    let description;
    try {
      description = await this.temporal(() => this.client.schedule.getHandle(scheduleId).describe());
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) throw notDeployed(ref);
      throw error;
    }
    const last = description.info.recentActions.at(-1);
    return {
      scheduleId,
      ref,
      spec: describeSchedule(schedule),
      paused: description.state.paused,
      ...(description.state.note ? { note: description.state.note } : {}),
      nextRunTimes: description.state.paused ? [] : description.info.nextActionTimes,
      ...(last ? { lastRun: { at: last.takenAt, executionId: last.action.workflow.workflowId } } : {}),
    };
  }

  /** An `after` schedule as its registry reports it (a query: a worker answers). */
  private async describeRuns(ref: WorkflowRef, schedule: ScheduleSpec): Promise<ScheduleView> {
    const view = await this.runsView(ref);
    if (!view) throw notDeployed(ref);
    return {
      scheduleId: deploymentWorkflowId(ref),
      ref,
      spec: describeSchedule(schedule),
      paused: view.paused,
      ...(view.note ? { note: view.note } : {}),
      nextRunTimes: view.nextRunAt ? [new Date(view.nextRunAt)] : [],
      ...(view.lastRun ? { lastRun: { at: new Date(view.lastRun.startedAt), executionId: view.lastRun.executionId } } : {}),
    };
  }

  /** An event trigger as its registry reports it (a query: a worker answers); it has no next run time. */
  private async describeTrigger(ref: WorkflowRef, schedule: ScheduleSpec): Promise<ScheduleView> {
    let view;
    try {
      view = await this.temporal(() => this.client.workflow.getHandle(deploymentWorkflowId(ref)).query(triggeredRunsQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notDeployed(ref);
      throw error;
    }
    if (!view) throw notDeployed(ref);
    const counts = `${view.started} started, ${view.duplicates} duplicate, ${view.openSets} open set${view.openSets === 1 ? '' : 's'}, ${view.dropped} dropped`;
    return {
      scheduleId: deploymentWorkflowId(ref),
      ref,
      spec: describeSchedule(schedule),
      paused: false,
      note: view.refusal ? `subscription refused: ${view.refusal}; ${counts}` : counts,
      nextRunTimes: [],
      ...(view.lastRun ? { lastRun: { at: new Date(view.lastRun.startedAt), executionId: view.lastRun.executionId } } : {}),
    };
  }

  private temporal<T>(call: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + this.timeoutMs, call);
  }
}

/** A schedule in words: "every 2s", "cron 0 0 * * *", "after 2s", "on one {type=order.placed}". */
export function describeSchedule(schedule: ScheduleSpec): string {
  switch (schedule.kind) {
    case 'cron':
      return `cron ${schedule.cron}`;
    case 'every':
      return `every ${inWords(schedule.everyMs)}`;
    case 'after':
      return `after ${inWords(schedule.afterMs)}`;
    case 'on':
      return `on ${describeConsumption(schedule.consume)}`;
  }
}

function describeConsumption(consume: EventConsumption): string {
  if (consume.kind === 'one') return `one ${describeFilter(consume.filter)}`;
  if (consume.kind === 'any' && consume.filters.length === 0) return 'any event';
  return `${consume.kind} ${consume.filters.map(describeFilter).join(' ')}`;
}

/** The attributes the router matches (literals in `schedule.on`), then what each event is checked for. */
function describeFilter(filter: EventFilterSpec): string {
  const parts = filter.attributes.map(([name, value]) => `${name}=${value.kind === 'literal' ? String(value.value) : '…'}`);
  if (filter.data) parts.push(filter.data.kind === 'test' ? `data: \${ ${filter.data.expr.jq} }` : `data ⊇ ${JSON.stringify(filter.data.value)}`);
  for (const correlation of filter.correlate) parts.push(`correlate ${correlation.name}`);
  return `{${parts.join(', ')}}`;
}

function inWords(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1_000, 's']];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function notDeployed(ref: WorkflowRef): RpcError {
  return new RpcError(GrpcStatus.NOT_FOUND, `nothing is deployed as ${refKey(ref)}`);
}

/** The registry workflow is gone or closing (it was undeployed): the update found no one to take it. */
function closedUnderneath(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return /already completed|workflow execution.*(completed|closed)|not found/i.test(text);
}

function scheduleIdTaken(scheduleId: string, owner: string): RpcError {
  return new RpcError(
    GrpcStatus.ALREADY_EXISTS,
    `the schedule id ${scheduleId} (document.metadata.scheduleId) is taken by ${owner}: choose another id, or undeploy that deployment first`,
  );
}

/** The registry's upsert refused the schedule id (SCHEDULE_ID_TAKEN), somewhere down the update's failure chain. */
function takenIdMessage(error: unknown): string | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === SCHEDULE_ID_TAKEN) return cause.message;
  }
  return undefined;
}

function updateError(error: unknown, ref: WorkflowRef): unknown {
  const taken = takenIdMessage(error);
  if (taken) return new RpcError(GrpcStatus.ALREADY_EXISTS, `${taken}: choose another document.metadata.scheduleId, or undeploy that deployment first`);
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return new RpcError(GrpcStatus.UNAVAILABLE, `the deployment ${refKey(ref)} could not be changed: ${cause}; try again`);
  }
  return error;
}
