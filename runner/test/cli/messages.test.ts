/** `baton signal | query | update` as separate CLI processes against a runner on the dev server. */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { ExecutionPhase } from '@baton/proto';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { baton } from './local-stack.ts';

setDefaultTimeout(60_000);

let stack: Stack;
let runner: string[];

beforeAll(async () => {
  stack = await startStack();
  runner = ['--runner', stack.runner.grpcAddress];
});
afterAll(async () => {
  await stack?.stop();
});

const DOCUMENT = `document: { dsl: 1.0.0, taskQueue: cli, workflowType: approval, version: 1.0.0 }
do:
  - progress:
      listen:
        to:
          one:
            with: { id: progress, type: query, data: '\${ { by: $data.approval.by } }' }
  - approval:
      listen:
        to:
          one:
            with: { id: approve, type: signal }
`;

test('query, signal, and an update the ended execution cannot take', async () => {
  const id = uniqueName('cli-approval');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: DOCUMENT });
  const asked = await eventually(() => baton(['query', id, 'progress', '--json', ...runner]), (result) => result.exitCode === 0);
  expect(JSON.parse(asked.stdout)).toEqual({ result: { by: null } });

  const sent = await baton(['signal', id, 'approve', '--payload', '{"by":"ada"}', ...runner]);
  expect(sent.exitCode).toBe(0);
  expect(sent.stdout).toContain(`${id}: signal approve sent`);
  await eventually(() => stack.client.getExecution(id), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED);
  expect(JSON.parse((await baton(['query', id, 'progress', '--json', ...runner])).stdout)).toEqual({ result: { by: 'ada' } });

  const late = await baton(['update', id, 'vote', '--payload', 'true', ...runner]);
  expect(late.exitCode).not.toBe(0);
  expect(late.stderr).toContain('already ended');
  const badJson = await baton(['signal', id, 'approve', '--payload', '{oops', ...runner]);
  expect(badJson.stderr).toContain('--payload is not valid JSON');
});
