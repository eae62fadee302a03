/**
 * Payload limits as errors: a value that would not fit in history fails its task with the coded
 * SW error (…/errors/runtime, 413, "Payload too large") — catchable, answered, never retried
 * forever — and a `for` over a large computed array does not carry the array through
 * continue-as-new.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { createHttpActivities } from '../../src/activities/http.ts';
import { Executions } from '../../src/service/executions.ts';
import { createWorker } from '../../src/temporal/worker.ts';
import { createTokenSealer, generateTokenKey } from '../../src/token/seal.ts';
import { INTERPRETER_WORKFLOW_TYPE, statusQuery } from '../../src/contract/index.ts';
import type { InterpreterArgs } from '../../src/contract/index.ts';
import { PAYLOAD_TOO_LARGE_STATUS, PAYLOAD_TOO_LARGE_TITLE } from '../../src/workflow/payload-size.ts';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { startHttpFixture } from './http-fixture.ts';
import type { HttpFixture } from './http-fixture.ts';

const RUNTIME = 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime';

let harness: Harness;
let http: HttpFixture;

beforeAll(async () => {
  http = startHttpFixture();
  harness = await startHarness('payload');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  http?.stop();
});

const header = (name: string) => `document:
  dsl: '1.0.0'
  namespace: payload
  name: ${name}
  version: '1.0.0'
`;

test('a `set` producing 3 MB fails with the coded error, and a `try` around it catches it', async () => {
  const big = `  - big:
      set:
        blob: \${ "x" * 3000000 }
`;
  const uncaught = compileYaml(`${header('set-3mb')}do:\n${big}`, 'set-3mb.yaml');
  const problem = await failureOf(await harness.start(uncaught, {}));
  expect(problem).toMatchObject({ type: RUNTIME, status: PAYLOAD_TOO_LARGE_STATUS, title: PAYLOAD_TOO_LARGE_TITLE, instance: '/do/0/big' });
  expect(problem.detail).toContain('/do/0/big');
  expect(problem.detail).toMatch(/3000\d{3} bytes/);

  const caught = compileYaml(
    `${header('set-3mb-caught')}do:
  - guarded:
      try:
        - big:
            set:
              blob: \${ "x" * 3000000 }
      catch:
        errors:
          with:
            status: ${PAYLOAD_TOO_LARGE_STATUS}
        as: problem
        do:
          - report:
              set:
                caught: \${ $problem.title }
                at: \${ $problem.instance }
`,
    'set-3mb-caught.yaml',
  );
  expect(await (await harness.start(caught, {})).result()).toEqual({ caught: PAYLOAD_TOO_LARGE_TITLE, at: '/do/0/guarded/try/0/big' });
}, 60_000);

test('a 3 MB workflow result ends FAILED with the coded error, and getExecution says so', async () => {
  const plan = compileYaml(
    `${header('result-3mb')}output:
  as: '\${ { blob: ("y" * 3000000) } }'
do:
  - small:
      set:
        ok: true
`,
    'result-3mb.yaml',
  );
  const handle = await harness.start(plan, {});
  const problem = await failureOf(handle);
  expect(problem).toMatchObject({ type: RUNTIME, status: PAYLOAD_TOO_LARGE_STATUS, title: PAYLOAD_TOO_LARGE_TITLE, instance: '/' });
  expect(problem.detail).toContain('the workflow output');

  const sealer = createTokenSealer(generateTokenKey());
  const executions = new Executions({
    client: harness.client,
    taskQueue: harness.taskQueue,
    sealer,
    callbackNamespace: '',
    heartbeatIntervalMs: 1_000,
  });
  const view = await executions.read(handle.workflowId);
  expect(view.phase).toBe('FAILED');
  expect(view.error).toMatchObject({ status: PAYLOAD_TOO_LARGE_STATUS, title: PAYLOAD_TOO_LARGE_TITLE });
}, 60_000);

test('a `for` over a 1e6-element computed array continues as new without carrying the array', async () => {
  const plan = compileYaml(
    `${header('for-1e6')}do:
  - loop:
      for:
        in: \${ [range(1000000)] }
      while: \${ $index < 25000 }
      do:
        - step:
            set:
              at: \${ $item }
`,
    'for-1e6.yaml',
  );
  const handle = await harness.start(plan, {});
  expect(await handle.result()).toEqual({ at: 24_999 });
  const latest = await harness.client.workflow.getHandle(handle.workflowId).describe();
  expect(latest.runId).not.toBe(handle.firstExecutionRunId);
}, 120_000);

test('state too large to carry over continue-as-new fails with the coded error instead of hanging', async () => {
  // The loop's own input is 1.5 MB: every run would have to carry it.
  const plan = compileYaml(
    `${header('carry-too-large')}do:
  - loop:
      for:
        in: \${ 30000 }
      do:
        - step:
            set:
              blob: \${ .blob }
`,
    'carry-too-large.yaml',
  );
  const problem = await failureOf(await harness.start(plan, { blob: 'z'.repeat(900_000) }, { limits: { maxPayloadBytes: 1_000_000 } }));
  expect(problem).toMatchObject({ type: RUNTIME, status: PAYLOAD_TOO_LARGE_STATUS, title: PAYLOAD_TOO_LARGE_TITLE });
  expect(problem.detail).toContain('continue-as-new');
}, 60_000);

test('an activity result over the worker limit fails the task non-retryably with the coded error', async () => {
  const { address, namespace } = testTemporal();
  const taskQueue = uniqueTaskQueue('payload-activity');
  const connection = await NativeConnection.connect({ address });
  const worker: Worker = await createWorker({ connection, namespace, taskQueue, maxPayloadBytes: 2_000, activities: { ...createHttpActivities({ egress: LOOPBACK_ALLOWED }) } });
  const running = worker.run();
  try {
    const plan = compileYaml(
      `${header('activity-result')}do:
  - guarded:
      try:
        - echo:
            call: http
            with:
              method: post
              endpoint: ${http.baseUrl}/echo
              body:
                text: \${ "e" * 3000 }
      catch:
        as: problem
        do:
          - report:
              set: \${ $problem }
`,
      'activity-result.yaml',
    );
    const client = new Client({ connection: harness.client.connection, namespace });
    const args: InterpreterArgs = { executionId: `payload-activity-${crypto.randomUUID()}`, plan, input: {}, limits: { maxPayloadBytes: 10_000 } };
    const handle = await client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: args.executionId, args: [args] });
    const problem = (await handle.result()) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: RUNTIME, status: PAYLOAD_TOO_LARGE_STATUS, title: PAYLOAD_TOO_LARGE_TITLE, instance: '/do/0/guarded/try/0/echo' });
    expect(String(problem.detail)).toContain('httpCall of task /do/0/guarded/try/0/echo');
    // Non-retryable: one attempt, not three.
    const started = (await handle.fetchHistory()).events?.filter((event) => event.activityTaskStartedEventAttributes) ?? [];
    expect(started).toHaveLength(1);
    expect(started[0]?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect((await handle.query(statusQuery)).phase).toBe('COMPLETED');
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}, 60_000);
