/**
 * A closed execution keeps its final status in its memo: with every worker of its task queue gone,
 * a read still has the workflow's full account (tasks, output, error, callback), not Temporal's
 * coarser view, because it needs no status query and so no replay on a worker.
 */
import { afterAll, expect, test } from 'bun:test';
import { CallbackDelivery, ExecutionPhase } from '@baton/proto';
import { startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { BOOM_TYPE, HELLO, RAISE } from './support/workflows.ts';

const stacks: Stack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.stop().catch(() => undefined);
});

test('with no worker left, a completed and a failed execution read in full', async () => {
  const taskQueue = uniqueName('closed-read');
  const full = await startStack({ taskQueue });
  stacks.push(full);
  const [hello, boom] = [uniqueName('closed-hello'), uniqueName('closed-boom')];
  const ranHello = await full.client.execute({ workflowExecutionId: hello, workflowYaml: HELLO, input: { name: 'Io' } });
  const ranBoom = await full.client.execute({ workflowExecutionId: boom, workflowYaml: RAISE });
  expect(ranHello.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  expect(ranBoom.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  await full.stop();

  // Same task queue, no worker: a status query could only time out.
  const serviceOnly = await startStack({ taskQueue }, 'service');
  stacks.push(serviceOnly);
  const readHello = await serviceOnly.client.getExecution(hello);
  expect(readHello).toEqual(ranHello);
  expect(readHello.tasks.map((task) => task.name)).toEqual(['greet']);
  expect(readHello.callback?.delivery ?? CallbackDelivery.CALLBACK_NONE).toBe(CallbackDelivery.CALLBACK_NONE);
  const readBoom = await serviceOnly.client.getExecution(boom);
  expect(readBoom).toEqual(ranBoom);
  expect(readBoom.error?.type).toBe(BOOM_TYPE);
  expect(readBoom.tasks.length).toBeGreaterThan(0);
});
