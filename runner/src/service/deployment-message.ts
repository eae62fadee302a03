/** Deployments and schedules as wire messages. */
import type { Deployment, Schedule, WorkflowReference } from '@baton/proto';
import type { DeploymentSummary, WorkflowRef } from '../contract/index.ts';
import { describeSchedule } from './deployments.ts';
import type { ScheduleView } from './deployments.ts';

export function deploymentMessage(summary: DeploymentSummary): Deployment {
  return {
    reference: referenceMessage(summary.ref),
    revision: summary.revision,
    deployedAt: new Date(summary.deployedAt),
    scheduleId: summary.scheduleId ?? '',
    schedule: summary.schedule ? describeSchedule(summary.schedule) : '',
    title: summary.title ?? '',
    summary: summary.summary ?? '',
  };
}

export function scheduleMessage(view: ScheduleView): Schedule {
  return {
    scheduleId: view.scheduleId,
    reference: referenceMessage(view.ref),
    spec: view.spec,
    paused: view.paused,
    nextRunTimes: [...view.nextRunTimes],
    lastRunAt: view.lastRun?.at,
    lastExecutionId: view.lastRun?.executionId ?? '',
    note: view.note ?? '',
  };
}

function referenceMessage(ref: WorkflowRef): WorkflowReference {
  return { namespace: ref.namespace, name: ref.name, version: ref.version };
}
