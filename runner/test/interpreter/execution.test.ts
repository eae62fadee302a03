/**
 * Execution behaviour beyond a single result: the status query (and that it costs no history),
 * cancellation of timers and activities, pause/resume by signal, and continue-as-new carrying
 * position, $context and status.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { INTERPRETER_WORKFLOW_TYPE, pauseSignal, resumeSignal, statusQuery } from '../../src/contract/index.ts';
import type { ExecutionStatus } from '../../src/contract/index.ts';
import { compileYaml, failureOf, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { startHttpFixture } from './http-fixture.ts';
import type { HttpFixture } from './http-fixture.ts';

let harness: Harness;
let http: HttpFixture;

beforeAll(async () => {
  http = startHttpFixture();
  harness = await startHarness('execution');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  http?.stop();
});

const header = (name: string, extra = '') => `document:
  dsl: '1.0.0'
  namespace: execution
  name: ${name}
  version: '1.0.0'
${extra}`;

async function until(handle: WorkflowHandle, predicate: (status: ExecutionStatus) => boolean): Promise<ExecutionStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(statusQuery);
    if (predicate(status)) return status;
    await Bun.sleep(50);
  }
  throw new Error(`status never matched: ${JSON.stringify(await handle.query(statusQuery))}`);
}

async function historyLength(handle: WorkflowHandle): Promise<number> {
  return (await handle.fetchHistory()).events?.length ?? 0;
}

test('the status query shows phase, current task and task entries, and adds no history events', async () => {
  const plan = compileYaml(
    `${header('status')}do:
  - first:
      set: { step: 1 }
  - hold:
      wait: PT1S
  - last:
      set: { step: 3 }
`,
    'status.yaml',
  );
  const handle = await harness.start(plan, {});
  const during = await until(handle, (status) => status.currentTask === '/do/1/hold');
  expect(during.phase).toBe('IN_PROGRESS');
  expect(during.tasks.map((entry) => [entry.name, entry.phase])).toEqual([
    ['first', 'COMPLETED'],
    ['hold', 'RUNNING'],
  ]);
  expect(during.tasks[0]?.kind).toBe('set');
  const before = await historyLength(handle);
  for (let i = 0; i < 5; i++) await handle.query(statusQuery);
  expect(await historyLength(handle)).toBe(before);

  expect(await handle.result()).toEqual({ step: 3 });
  const after = await handle.query(statusQuery);
  expect(after.phase).toBe('COMPLETED');
  expect(after.output).toEqual({ step: 3 });
  expect(after.tasks.every((entry) => entry.phase === 'COMPLETED')).toBe(true);
  expect(after.callback.state).toBe('NONE');
}, 30_000);

test('a failed execution reports FAILED with the error in its status', async () => {
  const plan = compileYaml(
    `${header('failed-status')}do:
  - boom:
      raise:
        error:
          type: https://example.com/errors/boom
          status: 500
          title: Boom
`,
    'failed-status.yaml',
  );
  const handle = await harness.start(plan, {});
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('FAILED');
  expect(status.error).toMatchObject({ type: 'https://example.com/errors/boom', status: 500, instance: '/do/0/boom' });
  expect(status.tasks[0]).toMatchObject({ name: 'boom', phase: 'FAILED' });
}, 30_000);

test('cancel stops a running activity and timer at once and ends CANCELLED', async () => {
  const plan = compileYaml(
    `${header('cancel')}do:
  - both:
      fork:
        branches:
          - slowCall:
              call: http
              with:
                method: get
                endpoint: ${http.baseUrl}/slow?ms=20000
          - longWait:
              wait: PT1H
`,
    'cancel.yaml',
  );
  const handle = await harness.start(plan, {});
  await until(handle, (status) => status.tasks.some((entry) => entry.name === 'longWait' && entry.phase === 'RUNNING'));
  await Bun.sleep(300);
  const startedAt = Date.now();
  await handle.cancel();
  const error = await handle.result().catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect(Date.now() - startedAt).toBeLessThan(15_000);
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('CANCELLED');
  expect(status.tasks.filter((entry) => entry.phase === 'RUNNING')).toEqual([]);
  const events = (await handle.fetchHistory()).events ?? [];
  const kinds = new Set(events.map((event) => event.eventType));
  expect(kinds.has(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)).toBe(true);
  expect(kinds.has(temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_CANCELED)).toBe(true);
}, 40_000);

test('a paused execution starts no new task until resumed, and shows PAUSED', async () => {
  const plan = compileYaml(
    `${header('pause')}do:
  - first:
      wait:
        milliseconds: 300
  - second:
      set: { done: true }
`,
    'pause.yaml',
  );
  const handle = await harness.start(plan, {});
  await until(handle, (status) => status.currentTask === '/do/0/first');
  await handle.signal(pauseSignal, 'maintenance');
  await Bun.sleep(1_000);
  const paused = await handle.query(statusQuery);
  expect(paused.phase).toBe('PAUSED');
  expect(paused.tasks.map((entry) => entry.name)).toEqual(['first']);
  expect(paused.tasks[0]?.phase).toBe('COMPLETED');
  await handle.signal(resumeSignal);
  expect(await handle.result()).toEqual({ done: true });
  expect((await handle.query(statusQuery)).phase).toBe('COMPLETED');
}, 30_000);

test('a long loop continues as new, carrying position, $context and status; signals and queries keep working', async () => {
  const plan = compileYaml(
    `${header('long-loop', `  metadata:
    baton:
      continueAsNewAfterEvents: 40
`)}do:
  - init:
      set: { visited: [] }
      export:
        as: '\${ { runs: 0 } }'
  - loop:
      for:
        each: n
        in: \${ [range(0; 12)] }
      do:
        - tick:
            call: http
            with:
              method: get
              endpoint: ${http.baseUrl}/counter/long-loop
            output:
              as: \${ $input }
        - record:
            set:
              visited: \${ .visited + [$n] }
            export:
              as: '\${ $context + { runs: ($context.runs + 1) } }'
  - finish:
      set:
        visited: \${ .visited }
        counted: \${ $context.runs }
`,
    'long-loop.yaml',
  );
  const handle = await harness.start(plan, {});
  const firstRunId = handle.firstExecutionRunId;
  const result = await handle.result();
  expect(result).toEqual({ visited: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], counted: 12 });
  const latest = harness.client.workflow.getHandle(handle.workflowId);
  const description = await latest.describe();
  expect(description.runId).not.toBe(firstRunId);
  const status = await latest.query(statusQuery);
  expect(status.phase).toBe('COMPLETED');
  expect(status.tasks.filter((entry) => entry.name === 'record')).toHaveLength(12);
  expect(status.tasks[0]?.name).toBe('init');
}, 60_000);

test('pause and resume reach the current run after continues-as-new', async () => {
  const plan = compileYaml(
    `${header('pause-across-runs', `  metadata:
    baton:
      continueAsNewAfterEvents: 20
`)}do:
  - loop:
      for:
        in: \${ [range(0; 25)] }
      do:
        - tick:
            call: http
            with:
              method: get
              endpoint: ${http.baseUrl}/slow?ms=50
  - done:
      set: { done: true }
`,
    'pause-across-runs.yaml',
  );
  const handle = await harness.start(plan, {});
  await until(handle, (status) => status.tasks.length > 5);
  await handle.signal(pauseSignal);
  const latest = harness.client.workflow.getHandle(handle.workflowId);
  await until(latest, (status) => status.phase === 'PAUSED');
  await Bun.sleep(500);
  const paused = await latest.query(statusQuery);
  expect(paused.phase).toBe('PAUSED');
  await Bun.sleep(300);
  expect((await latest.query(statusQuery)).tasks.length).toBe(paused.tasks.length);
  await latest.signal(resumeSignal);
  expect(await latest.result()).toEqual({ done: true });
}, 60_000);

test('a `then` loop without I/O continues as new after its task budget and keeps $context', async () => {
  const plan = compileYaml(
    `${header('goto-loop')}do:
  - start:
      set: { count: 0 }
      export:
        as: '\${ { laps: 0 } }'
  - lap:
      set:
        count: \${ .count + 1 }
      export:
        as: '\${ { laps: ($context.laps + 1) } }'
  - again:
      switch:
        - more:
            when: \${ .count < 15000 }
            then: lap
        - done:
            then: finish
  - finish:
      set:
        count: \${ .count }
        laps: \${ $context.laps }
`,
    'goto-loop.yaml',
  );
  const handle = await harness.start(plan, {});
  expect(await handle.result()).toEqual({ count: 15_000, laps: 15_000 });
  const description = await harness.client.workflow.getHandle(handle.workflowId).describe();
  expect(description.runId).not.toBe(handle.firstExecutionRunId);
}, 60_000);

test('an endless loop where continuing as new is impossible yields to the worker and can be cancelled', async () => {
  const plan = compileYaml(
    `${header('endless')}do:
  - guarded:
      try:
        - spin:
            set: { spinning: true }
            then: spin
      catch:
        errors:
          with:
            status: 418
`,
    'endless.yaml',
  );
  const handle = await harness.start(plan, {});
  const timerStarted = temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED;
  for (let i = 0; i < 100; i++) {
    const events = (await handle.fetchHistory()).events ?? [];
    if (events.filter((event) => event.eventType === timerStarted).length >= 2) break;
    await Bun.sleep(200);
  }
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('IN_PROGRESS');
  await handle.cancel();
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect((await handle.query(statusQuery)).phase).toBe('CANCELLED');
}, 60_000);

test('absent input is an empty object; a plan the runner cannot read fails with a configuration error', async () => {
  const valid = compileYaml(`${header('bad-plan')}do:\n  - a:\n      set:\n        got: \${ . }\n`, 'bad-plan.yaml');
  expect(await (await harness.start(valid, undefined)).result()).toEqual({ got: {} });
  for (const plan of [{ ...valid, formatVersion: 99 }, { nonsense: true }]) {
    const handle = await harness.start(plan as unknown as typeof valid, {});
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const status = await handle.query(statusQuery);
    expect(status.error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration', status: 400 });
  }
  const withoutArgs = await harness.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, {
    taskQueue: harness.taskQueue,
    workflowId: `no-args-${crypto.randomUUID()}`,
    args: [null],
  });
  expect(await failureOf(withoutArgs)).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration', status: 400 });
}, 30_000);

test('run: workflow with await: false starts the child, which outlives the task and completes on its own', async () => {
  const child = compileYaml(
    `document:
  dsl: '1.0.0'
  namespace: execution
  name: child
  version: '1.0.0'
do:
  - slow:
      wait:
        milliseconds: 300
  - answer:
      set:
        doubled: \${ .value * 2 }
`,
    'child.yaml',
  );
  const parent = compileYaml(
    `${header('parent')}do:
  - launch:
      run:
        workflow:
          namespace: execution
          name: child
          version: '1.0.0'
          input:
            value: \${ .value }
        await: false
  - after:
      set:
        launched: true
`,
    'parent.yaml',
  );
  const handle = await harness.start(parent, { value: 21 }, { catalogue: { 'execution/child/1.0.0': child } });
  expect(await handle.result()).toEqual({ launched: true });
  const events = (await handle.fetchHistory()).events ?? [];
  const started = events.find((event) => event.childWorkflowExecutionStartedEventAttributes);
  const childId = started?.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
  expect(childId).toStartWith(`${handle.workflowId}/do/0/launch#`);
  expect(await harness.client.workflow.getHandle(childId as string).result()).toEqual({ doubled: 42 });
}, 30_000);

test('continue-as-new resumes inside nested loops and do blocks with the right inputs and locals', async () => {
  const plan = compileYaml(
    `${header('nested-continue', `  metadata:
    baton:
      continueAsNewAfterEvents: 15
`)}do:
  - init:
      set: { pairs: [] }
  - outer:
      for:
        each: row
        in: \${ ["a", "b", "c"] }
      do:
        - block:
            do:
              - inner:
                  for:
                    each: col
                    at: position
                    in: \${ [1, 2, 3, 4] }
                  do:
                    - touch:
                        call: http
                        with:
                          method: get
                          endpoint: ${http.baseUrl}/counter/nested-continue
                        output:
                          as: \${ $input }
                    - append:
                        set:
                          pairs: \${ .pairs + [$row + ($col | tostring) + "@" + ($position | tostring)] }
              - afterInner:
                  set:
                    pairs: \${ .pairs + [$row + "!"] }
`,
    'nested-continue.yaml',
  );
  const handle = await harness.start(plan, {});
  const result = (await handle.result()) as { pairs: string[] };
  const expected: string[] = [];
  for (const row of ['a', 'b', 'c']) {
    for (const [position, col] of [1, 2, 3, 4].entries()) expected.push(`${row}${col}@${position}`);
    expected.push(`${row}!`);
  }
  expect(result.pairs).toEqual(expected);
  const description = await harness.client.workflow.getHandle(handle.workflowId).describe();
  expect(description.runId).not.toBe(handle.firstExecutionRunId);
}, 60_000);

test('each activity carries a summary naming its task path (shown in the Web UI)', async () => {
  const plan = compileYaml(
    `${header('summary')}do:
  - fetchPet:
      call: http
      with:
        method: get
        endpoint: ${http.baseUrl}/pets/1
`,
    'summary.yaml',
  );
  const handle = await harness.start(plan, {});
  await handle.result();
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes);
  expect(scheduled?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('httpCall');
  const summary = scheduled?.userMetadata?.summary?.data;
  expect(summary).toBeDefined();
  expect(JSON.parse(new TextDecoder().decode(summary as Uint8Array))).toBe(`/do/0/fetchPet: GET ${http.baseUrl}/pets/1`);
}, 30_000);
