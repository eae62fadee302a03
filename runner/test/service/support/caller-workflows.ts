/**
 * The test caller (sandboxed workflow code): a workflow in "another engine" whose activity hands
 * its task token to Baton and parks. It returns what the activity was completed with.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { CallerActivities, CallerRequest } from './caller.ts';

export interface CallerArgs extends CallerRequest {
  readonly startToCloseMs: number;
  readonly heartbeatTimeoutMs?: number;
  readonly maximumAttempts: number;
}

export async function callerWorkflow(args: CallerArgs): Promise<unknown> {
  const { handOverToBaton } = proxyActivities<CallerActivities>({
    startToCloseTimeout: args.startToCloseMs,
    ...(args.heartbeatTimeoutMs ? { heartbeatTimeout: args.heartbeatTimeoutMs } : {}),
    retry: { maximumAttempts: args.maximumAttempts, initialInterval: '100 milliseconds' },
    // The caller waits for Baton to acknowledge a cancellation, as a careful caller would.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return handOverToBaton(args);
}
