import { expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { greetingActivities } from './fixtures/greeting-activities.ts';

test('a Bun worker runs a bundled workflow and its activity on the real dev server', async () => {
  const { address, namespace } = testTemporal();
  const taskQueue = uniqueTaskQueue('greeting');
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowsPath: new URL('./fixtures/greeting-workflow.ts', import.meta.url).pathname,
    activities: greetingActivities,
  });
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    const client = new Client({ connection, namespace });
    const result = await worker.runUntil(
      client.workflow.execute('greetingWorkflow', {
        taskQueue,
        workflowId: `greeting-${crypto.randomUUID()}`,
        args: ['Baton'],
      }),
    );
    expect(result).toBe(`Hello, Baton, from Bun ${Bun.version} (from a workflow)`);
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
});
