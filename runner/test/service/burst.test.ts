/**
 * A burst of 1,000 concurrent executeAsync against a small start queue: every request is answered
 * started or RESOURCE_EXHAUSTED with a retry hint (never UNAVAILABLE or INTERNAL), and the started
 * ones are exactly the executions that exist in Temporal. Figures are printed, not asserted.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { testTemporal } from '../../../test/temporal-env.ts';
import { RETRY_AFTER_TRAILER } from '../../src/service/errors.ts';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { statusDetails } from './support/wire.ts';
import { HELLO } from './support/workflows.ts';

const BURST = 1_000;

let stack: Stack;
beforeAll(async () => {
  // Service only: nobody runs the executions, so what exists is exactly what was started.
  stack = await startStack({ maxConcurrentStarts: 8, maxQueuedStarts: 200 }, 'service');
});
afterAll(async () => {
  await stack?.stop();
});

test(`${BURST} concurrent executeAsync: each started or RESOURCE_EXHAUSTED, and the started ones are exactly what exists`, async () => {
  const prefix = uniqueName('burst');
  const began = performance.now();
  const answers = await Promise.all(
    Array.from({ length: BURST }, async (_, index) => {
      const id = `${prefix}-${index}`;
      try {
        const answer = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: HELLO });
        return { id, code: GrpcStatus.OK, message: answer.message, retryAfter: undefined };
      } catch (err) {
        const error = err as import('@grpc/grpc-js').ServiceError;
        const retryAfter = error.metadata?.get(RETRY_AFTER_TRAILER)[0];
        const hasRetryInfo = statusDetails(error)?.details.some((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo') ?? false;
        return { id, code: error.code, message: error.details, retryAfter: hasRetryInfo ? retryAfter : undefined };
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const started = answers.filter((a) => a.code === GrpcStatus.OK);
  const refused = answers.filter((a) => a.code === GrpcStatus.RESOURCE_EXHAUSTED);
  console.log(`burst of ${BURST}: ${started.length} started, ${refused.length} refused RESOURCE_EXHAUSTED, in ${seconds.toFixed(1)} s`);

  expect(answers.filter((a) => a.code !== GrpcStatus.OK && a.code !== GrpcStatus.RESOURCE_EXHAUSTED)).toEqual([]);
  expect(started.every((a) => a.message === 'started')).toBe(true);
  expect(refused.every((a) => a.retryAfter !== undefined && Number(a.retryAfter) > 0)).toBe(true);
  expect(started.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);

  const connection = await Connection.connect({ address: testTemporal().address });
  try {
    const client = new Client({ connection, namespace: testTemporal().namespace });
    const existing = async () => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: `TaskQueue = '${stack.config.taskQueue}'` })) ids.push(execution.workflowId);
      return ids.sort();
    };
    const expected = started.map((a) => a.id).sort();
    const listed = await eventually(existing, (ids) => ids.length >= expected.length);
    expect(listed).toEqual(expected);
    // Asking again with the same id answers with the execution that exists, never a second start.
    const again = await stack.client.executeAsync({ workflowExecutionId: started[0]!.id, workflowYaml: HELLO });
    expect(again.message).toContain('already running');
  } finally {
    await connection.close();
  }
}, 120_000);
