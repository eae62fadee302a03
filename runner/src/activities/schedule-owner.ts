/**
 * Who holds a Temporal Schedule id: a deployment's schedule names its deployment in its memo when
 * created, so a deploy asking for an id (Zigflow's `scheduleId`) can tell its own schedule from
 * another deployment's, or from one Baton did not make, before touching it.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { DEPLOYMENT_MEMO_KEY, refKey } from '../contract/index.ts';
import type { WorkflowRef } from '../contract/index.ts';

export type ScheduleOwner = { readonly kind: 'absent' } | { readonly kind: 'deployment'; readonly key: string } | { readonly kind: 'foreign' };

/** Who a Temporal Schedule of this id belongs to: the deployment named in its memo (written at create), or something else. */
export async function scheduleOwner(client: Client, scheduleId: string): Promise<ScheduleOwner> {
  let description;
  try {
    description = await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return { kind: 'absent' };
    throw error;
  }
  const ref = description.memo?.[DEPLOYMENT_MEMO_KEY] as Partial<WorkflowRef> | undefined;
  return ref?.namespace && ref.name && ref.version ? { kind: 'deployment', key: refKey(ref as WorkflowRef) } : { kind: 'foreign' };
}

export function describeOwner(owner: Exclude<ScheduleOwner, { kind: 'absent' }>): string {
  return owner.kind === 'deployment' ? `the deployment ${owner.key}` : 'something other than a Baton deployment';
}
