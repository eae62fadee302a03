/**
 * The callback delivery workflow: answers a caller on behalf of an execution that can no longer
 * do it itself (a token that arrived after the end, a forced cancel). Durable, so a replica that
 * dies mid-way loses nothing; its workflow id is derived from the execution and the token, so each
 * caller is answered once however many replicas ask.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CallbackActivities } from '../contract/index.ts';
import type { CallbackDeliveryArgs, CallbackReport } from '../contract/index.ts';

const activities = proxyActivities<CallbackActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function batonCallbackDelivery(args: CallbackDeliveryArgs): Promise<CallbackReport> {
  if (args.terminateReason !== undefined) {
    const result = await activities.terminateExecution(args.executionId, args.terminateReason);
    // It ended on its own first: it delivered its outcome itself.
    if (result !== 'terminated') return { state: 'NONE' };
  }
  try {
    const report = await activities.deliverCallback(args.executionId, args.target, args.action);
    return report.state === 'COMPLETED' ? { state: 'COMPLETED' } : { state: report.state, lastError: report.error };
  } catch (err) {
    return { state: 'FAILED_DELIVERY', lastError: `delivery retries exhausted: ${err instanceof Error ? err.message : String(err)}` };
  }
}
