/**
 * Cancel always wins: loops without I/O — which run synchronously and continue as new on their
 * own — end CANCELLED soon after a cancel request, instead of running on in the next run.
 * The figures printed are cancel-to-end latencies (informative only; not asserted).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { statusQuery } from '../../src/contract/index.ts';
import { compileYaml, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('cancel');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

const header = (name: string) => `document:
  dsl: '1.0.0'
  namespace: cancel
  name: ${name}
  version: '1.0.0'
`;

/** Waits until the execution has continued as new at least once: the loop is well under way. */
async function untilContinuedAsNew(handle: WorkflowHandleWithFirstExecutionRunId): Promise<void> {
  const latest = harness.client.workflow.getHandle(handle.workflowId);
  for (let i = 0; i < 300; i++) {
    if ((await latest.describe()).runId !== handle.firstExecutionRunId) return;
    await Bun.sleep(50);
  }
  throw new Error('the loop never continued as new');
}

async function cancelAndExpectCancelled(handle: WorkflowHandle, label: string): Promise<void> {
  const latest = harness.client.workflow.getHandle(handle.workflowId);
  const cancelledAt = Date.now();
  await latest.cancel();
  const failure = await latest.result().then(
    (output: unknown) => new Error(`expected CANCELLED, the execution completed with ${JSON.stringify(output)?.slice(0, 80)}`),
    (error: unknown) => error,
  );
  console.log(`${label}: cancel → end in ${Date.now() - cancelledAt} ms`);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const status = await latest.query(statusQuery);
  expect(status.phase).toBe('CANCELLED');
  expect(status.tasks.filter((entry) => entry.phase === 'RUNNING')).toEqual([]);
}

test('a `for` over a count of 1e6 cancelled shortly after start ends CANCELLED, not COMPLETED', async () => {
  const plan = compileYaml(
    `${header('count')}do:
  - loop:
      for:
        in: \${ 1000000 }
      do:
        - step:
            set:
              at: \${ $index }
`,
    'count.yaml',
  );
  const handle = await harness.start(plan, {});
  await untilContinuedAsNew(handle);
  await cancelAndExpectCancelled(handle, 'for over 1e6');
}, 60_000);

test('an endless `then` loop ends CANCELLED after cancel', async () => {
  const plan = compileYaml(
    `${header('then-loop')}do:
  - spin:
      set: { spinning: true }
      then: spin
`,
    'then-loop.yaml',
  );
  const handle = await harness.start(plan, {});
  await untilContinuedAsNew(handle);
  await cancelAndExpectCancelled(handle, 'endless then');
}, 60_000);

test('an endless `for … while: true` ends CANCELLED after cancel', async () => {
  const plan = compileYaml(
    `${header('while-loop')}do:
  - loop:
      for:
        in: \${ 1000000000000 }
      while: \${ true }
      do:
        - step:
            set:
              at: \${ $index }
`,
    'while-loop.yaml',
  );
  const handle = await harness.start(plan, {});
  await untilContinuedAsNew(handle);
  await cancelAndExpectCancelled(handle, 'endless for/while');
}, 60_000);
