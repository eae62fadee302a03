/**
 * A forced cancel must end an execution even when no worker can answer its prepare-termination
 * update (workers down, or the execution stuck): the service then terminates it directly.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { compileWorkflow } from '@baton/dsl';
import { Executions } from '../../src/service/executions.ts';
import { createTokenSealer, generateTokenKey } from '../../src/token/seal.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { uniqueName } from './support/stack.ts';
import { HELLO } from './support/workflows.ts';

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: testTemporal().address });
  client = new Client({ connection, namespace: testTemporal().namespace });
});
afterAll(async () => {
  await connection?.close();
});

test('no worker on the task queue: cancel with force still terminates the execution', async () => {
  const warnings: string[] = [];
  const executions = new Executions({
    client,
    // Nobody polls this queue: the execution never runs a workflow task, no update is ever answered.
    taskQueue: uniqueName('no-worker'),
    sealer: createTokenSealer(generateTokenKey()),
    callbackNamespace: '',
    heartbeatIntervalMs: 1_000,
    temporalTimeoutMs: 1_500,
    warn: (message) => warnings.push(message),
  });
  const compiled = compileWorkflow(HELLO);
  if (!compiled.ok) throw new Error('HELLO does not compile');
  const id = uniqueName('stuck');
  expect(await executions.start({ executionId: id, plan: compiled.plan, input: {}, callbackToken: new Uint8Array([1, 2, 3]) })).toEqual({ kind: 'started' });

  await executions.cancel(id, 'nobody runs it', true);
  const description = await client.workflow.getHandle(id).describe();
  expect(description.status.name).toBe('TERMINATED');
  expect(warnings.some((w) => w.includes('without a worker'))).toBe(true);
}, 30_000);
