/**
 * `call: activity` end to end on the real dev server: TypeScript activities served by their own
 * worker on their own task queue (no workflows, none of Baton's code), scheduled straight from the
 * interpreter with the task's arguments and options.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { compileYaml, failureOf, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const activities = {
  async greet(name: string, punctuation: string): Promise<{ greeting: string }> {
    return { greeting: `Hello, ${name}${punctuation}` };
  },
  async refuse(reason: string): Promise<never> {
    throw ApplicationFailure.create({ type: 'Refused', message: `refused: ${reason}`, nonRetryable: true });
  },
  async dawdle(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    return 'late';
  },
};

let harness: Harness;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let queue: string;

beforeAll(async () => {
  queue = uniqueTaskQueue('activities');
  connection = await NativeConnection.connect({ address: testTemporal().address });
  worker = await Worker.create({ connection, namespace: testTemporal().namespace, taskQueue: queue, activities });
  running = worker.run();
  harness = await startHarness('call-activity');
});

afterAll(async () => {
  await harness?.stop();
  worker?.shutdown();
  await running;
  await connection?.close();
});

function workflow(name: string, args: string, options = ''): string {
  return `
document: {dsl: 1.0.3, namespace: test, name: call-activity, version: 1.0.0}
do:
  - callIt:
      call: activity
      with:
        name: ${name}
        arguments: ${args}
        options:
          taskQueue: ${queue}
${options}
`;
}

const start = (source: string, input: unknown = { name: 'Ada' }) => harness.start(compileYaml(source, 'activity.yaml'), input);

describe('call: activity', () => {
  test('runs the named activity on its task queue with the evaluated arguments', async () => {
    const output = await (await start(workflow('greet', `['\${ .name }', '!']`))).result();
    expect(output).toEqual({ greeting: 'Hello, Ada!' });
  });

  test("an application failure is a runtime error titled with the failure's type", async () => {
    const error = await failureOf(await start(workflow('refuse', `['\${ .name }']`)));
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', title: 'Refused', detail: 'refused: Ada', instance: '/do/0/callIt' });
  });

  test('the call\'s own options are used: startToCloseTimeout and retryPolicy', async () => {
    const options = `          startToCloseTimeout: 1s
          retryPolicy: {maximumAttempts: 1}`;
    const error = await failureOf(await start(workflow('dawdle', '[]', options)));
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout', instance: '/do/0/callIt' });
    expect(error.detail).toContain('START_TO_CLOSE');
  });

  test('the activity is recorded in history with its type, task queue and arguments', async () => {
    const handle = await start(workflow('greet', `['\${ .name }', '?']`));
    await handle.result();
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((event) => event.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
    expect(scheduled?.activityType?.name).toBe('greet');
    expect(scheduled?.taskQueue?.name).toBe(queue);
    expect(scheduled?.input?.payloads?.map((payload) => JSON.parse(Buffer.from(payload.data!).toString()))).toEqual(['Ada', '?']);
  });
});
