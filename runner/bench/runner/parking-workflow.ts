/** The benchmark's caller (sandboxed): one activity that parks until Baton completes it. */
import { proxyActivities } from '@temporalio/workflow';

export interface ParkingActivities {
  park(): Promise<unknown>;
}

const { park } = proxyActivities<ParkingActivities>({ startToCloseTimeout: '10 minutes', retry: { maximumAttempts: 1 } });

export async function parkingCaller(): Promise<unknown> {
  return park();
}
