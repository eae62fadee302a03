import { expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import type { JqWorkflowResult } from './fixtures/jq-workflow.ts';

const workflowsPath = new URL('./fixtures/jq-workflow.ts', import.meta.url).pathname;

test('the jq engine runs unchanged in the workflow sandbox on the real dev server, budgets included, and replays', async () => {
  const { address, namespace } = testTemporal();
  const taskQueue = uniqueTaskQueue('jq-sandbox');
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowsPath });
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    const client = new Client({ connection, namespace });
    const workflowId = `jq-sandbox-${crypto.randomUUID()}`;
    const input = { order: { id: 'o-1', items: [{ sku: 'a-1', qty: 2, price: 3 }, { sku: 'b-2', qty: 1, price: 10 }] } };
    const result = (await worker.runUntil(
      client.workflow.execute('jqWorkflow', { taskQueue, workflowId, args: [input] }),
    )) as JqWorkflowResult;
    expect(result.outputs[0]).toEqual([{ id: 'o-1', total: 16 }]);
    expect(result.outputs[1]).toEqual(['a-1']);
    expect(result.outputs[2]?.[0]).toMatch(/^run r-1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(result.outputs[3]).toEqual(['eu']);
    expect(result.outputs[4]).toEqual(['b-2']);
    expect(result.outputs[5]).toEqual([[true, false]]);
    expect(result.budgetLimits).toEqual(['maxSteps', 'maxSteps', 'maxDepth', 'maxOutputBytes']);

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowsPath }, history, workflowId);
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}, 120_000);
