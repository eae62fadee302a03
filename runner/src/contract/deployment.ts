/**
 * The deployment registry's contract: one long-running Temporal workflow per deployed document,
 * its id derived from the document's namespace/name/version, holding the document as its state.
 * Deploy and undeploy are Updates (serialised, accepted or rejected atomically), reads are a
 * query, and a small summary is mirrored into the workflow's memo so listing needs no worker.
 * Imported by workflow code, activities and the service alike: types and Temporal definitions only.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClockScheduleSpec, Plan, ScheduleSpec } from '@baton/dsl/runtime';
import type { CloudEventJson } from './events.ts';
import type { InterpreterArgs } from './interpreter.ts';
import { boundedWorkflowId } from './workflow-id.ts';

export const DEPLOYMENT_WORKFLOW_TYPE = 'batonDeployment';
/** Memo key of the summary (see DeploymentSummary). */
export const DEPLOYMENT_MEMO_KEY = 'deployment';

export interface WorkflowRef {
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
}

export function refKey(ref: WorkflowRef): string {
  return `${ref.namespace}/${ref.name}/${ref.version}`;
}

/**
 * Longest deployment key (bytes) a deploy accepts. Namespace and name are at most 63 characters
 * each, but a semantic version has no bound: past this, the registry's id, its Temporal Schedule's
 * id and its scheduled runs' ids could pass Temporal's id limit, so such a deploy is refused.
 */
export const MAX_REF_KEY_BYTES = 255;

/** The registry workflow of a document: one per key in the Temporal namespace. */
export function deploymentWorkflowId(ref: WorkflowRef): string {
  return `baton-deployment/${refKey(ref)}`;
}

/** The Temporal Schedule of a document: the same id across redeploys, so updates happen in place. */
export function scheduleIdOf(ref: WorkflowRef): string {
  return `baton-schedule/${refKey(ref)}`;
}

/** The Temporal Schedule of a document's clock schedule: the id it asks for (Zigflow's `scheduleId`), else Baton's. */
export function clockScheduleId(document: Pick<DeployDocument, 'ref' | 'scheduleId'>): string {
  return document.scheduleId ?? scheduleIdOf(document.ref);
}

/**
 * Where a schedule lives: a clock schedule is a Temporal Schedule; an `after` schedule and an
 * event trigger (`on`) are run by the registry workflow itself (a Temporal Schedule can neither
 * wait for the previous run to end nor hear events).
 */
export function scheduleIdFor(document: Pick<DeployDocument, 'ref' | 'scheduleId'>, schedule: ScheduleSpec): string {
  return schedule.kind === 'after' || schedule.kind === 'on' ? deploymentWorkflowId(document.ref) : clockScheduleId(document);
}

/** Id of a scheduled run: the deployment's key and the time the run was due. */
export function scheduledRunId(ref: WorkflowRef, at: string): string {
  return boundedWorkflowId(`baton-scheduled/${refKey(ref)}-${at}`);
}

/**
 * Id of a run started by an event (`schedule.on`): the deployment's key and the source and id of
 * the event that completed the set, so the same event never starts the deployment twice. Each
 * part is URI-encoded: a source is a URI with slashes of its own. Both may be as long as an event
 * may be large: past Temporal's id limit, the tail becomes a digest (workflow-id.ts).
 */
export function triggeredRunId(ref: WorkflowRef, event: Pick<CloudEventJson, 'source' | 'id'>): string {
  return boundedWorkflowId(`baton-triggered/${refKey(ref)}/${encodeURIComponent(event.source)}/${encodeURIComponent(event.id)}`);
}

/** What a deploy hands the registry: the document as validated and compiled by the service. */
export interface DeployDocument {
  readonly ref: WorkflowRef;
  readonly yaml: string;
  /** SHA-256 of the YAML: the same text again changes nothing. */
  readonly digest: string;
  readonly schedule?: ScheduleSpec;
  /**
   * The id the document asks its clock schedule's Temporal Schedule to have (Zigflow's
   * `document.metadata.scheduleId`); absent: `baton-schedule/<key>`. The service refuses a deploy
   * whose id another deployment's schedule holds.
   */
  readonly scheduleId?: string;
  readonly title?: string;
  readonly summary?: string;
}

/** What the registry holds for its document. */
export interface DeploymentState extends DeployDocument {
  readonly revision: number;
  /** ISO 8601, workflow time of the deploy that made this revision. */
  readonly deployedAt: string;
}

/** The memo mirror of a deployment: everything but the document text, so listings stay small. */
export type DeploymentSummary = Omit<DeploymentState, 'yaml'> & { readonly scheduleId?: string };

export interface DeployResult {
  readonly changed: boolean;
  readonly summary: DeploymentSummary;
  /** What happened to the schedule: created, updated, replaced (under another id), removed, or nothing. */
  readonly schedule: 'created' | 'updated' | 'replaced' | 'removed' | 'none';
}

export interface DeploymentArgs {
  readonly ref: WorkflowRef;
  /** The runner's task queue, where scheduled runs start. */
  readonly taskQueue: string;
  /** Carried over continue-as-new; absent on the first run. */
  readonly state?: DeploymentState;
  /** The `after` schedule's runs, carried over continue-as-new. */
  readonly runs?: ScheduledRuns;
  /** The event trigger's open sets and counts, carried over continue-as-new. */
  readonly triggered?: TriggeredRuns;
}

/** What the registry knows of the runs its event trigger (`schedule.on`) starts. */
export interface TriggeredRuns {
  /** Events delivered and not matched yet when the registry continued as new. */
  readonly queue?: readonly CloudEventJson[];
  /** Sets of a `to.all` trigger begun and not complete, oldest first. */
  readonly sets: readonly { readonly events: readonly CloudEventJson[]; readonly pending: readonly number[]; readonly correlations: Readonly<Record<string, unknown>> }[];
  /** Runs started. */
  readonly started: number;
  /** Events whose run had started already (the same source and id again): nothing started. */
  readonly duplicates: number;
  /** Open sets dropped past the bound, and events refused in a burst past the queue's bound. */
  readonly dropped: number;
  readonly lastRun?: { readonly executionId: string; readonly startedAt: string };
}

/** The event trigger as `baton schedules` shows it. */
export interface TriggeredRunsView {
  /** Always false: an event trigger is not paused (undeploy stops it). */
  readonly paused: false;
  readonly started: number;
  readonly duplicates: number;
  readonly dropped: number;
  readonly openSets: number;
  /** Set when the event router refused the trigger's subscription (it holds too many). */
  readonly refusal?: string;
  readonly lastRun?: { readonly executionId: string; readonly startedAt: string };
}

/** What the registry knows of the runs it starts for an `after` schedule. */
export interface ScheduledRuns {
  readonly paused: boolean;
  readonly note?: string;
  /** Workflow time (ms) the last run ended: the next is due `after` later. */
  readonly lastEndedAt?: number;
  readonly lastRun?: { readonly executionId: string; readonly startedAt: string };
}

/** The `after` schedule as `baton schedules` shows it. */
export interface ScheduledRunsView {
  readonly paused: boolean;
  readonly note?: string;
  /** The run going now: the next is due `after` once it ends, so there is no next run time yet. */
  readonly running?: string;
  /** ISO 8601; absent while a run is going or while paused. */
  readonly nextRunAt?: string;
  readonly lastRun?: { readonly executionId: string; readonly startedAt: string };
}

/** The schedule work the registry hands to its activities (they speak to Temporal's schedule API). */
export interface ScheduleSync {
  readonly ref: WorkflowRef;
  readonly scheduleId: string;
  readonly taskQueue: string;
  readonly yaml: string;
  readonly schedule: ClockScheduleSpec;
  readonly revision: number;
}

export interface DeploymentActivities {
  /**
   * Creates the schedule, or updates it in place when it exists and is this deployment's. Returns
   * which. A schedule of that id made by anyone else fails it with SCHEDULE_ID_TAKEN (not retried).
   */
  upsertSchedule(sync: ScheduleSync): Promise<'created' | 'updated'>;
  /** Deletes the schedule; a schedule already gone is not an error. */
  deleteSchedule(scheduleId: string): Promise<void>;
  /** The arguments of one run of the deployed document, compiled by this runner (for an `after` schedule or an event trigger). */
  scheduledRunArgs(ref: WorkflowRef, yaml: string): Promise<InterpreterArgs>;
}

/** The failure type of an upsert that met a schedule of the same id owned by another deployment. */
export const SCHEDULE_ID_TAKEN = 'SCHEDULE_ID_TAKEN';

/** The activities run: workflow calls to find a deployed document. */
export interface DeploymentLookupActivities {
  /** The compiled plan of a deployed document, or undefined when nothing is deployed under ref. */
  lookUpDeployment(ref: WorkflowRef): Promise<Plan | undefined>;
}

export const deploymentQuery = defineQuery<DeploymentState | undefined>('deployment');
export const deployUpdate = defineUpdate<DeployResult, [document: DeployDocument]>('deploy');
export const undeployUpdate = defineUpdate<void, []>('undeploy');
export const scheduledRunsQuery = defineQuery<ScheduledRunsView | undefined>('scheduledRuns');
export const triggeredRunsQuery = defineQuery<TriggeredRunsView | undefined>('triggeredRuns');
/** Pauses (true) or resumes (false) an `after` schedule, with the operator's note. */
export const pauseRunsUpdate = defineUpdate<void, [paused: boolean, note: string]>('pauseScheduledRuns');
/** Starts the next run of an `after` schedule now instead of when due. */
export const triggerRunUpdate = defineUpdate<void, []>('triggerScheduledRun');
