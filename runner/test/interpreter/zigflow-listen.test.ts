/**
 * Zigflow's `listen` on the real dev server, driven by a plain Temporal client the way any caller
 * would: signals, queries and updates named by `with.id`, sent to the execution id.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { compileWorkflow } from '@baton/dsl';
import { compileYaml, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { queryWhenAnswered, updateWhenListening } from './messages.ts';
import {
  awaitEndUpdate,
  CALLER_CANCELLED_SIGNAL,
  CANCEL_REASON_SIGNAL,
  cancelUpdate,
  pauseSignal,
  pauseUpdate,
  prepareTerminationUpdate,
  resumeSignal,
  resumeUpdate,
  retargetCallbackSignal,
  retargetCallbackUpdate,
  statusQuery,
} from '../../src/contract/index.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('zigflow-listen');
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

const header = (name: string) => `document:
  dsl: 1.0.0
  taskQueue: zigflow-listen
  workflowType: ${name}
  version: 1.0.0
`;

const APPROVAL = `${header('approval')}do:
  - progress:
      listen:
        to:
          one:
            with:
              id: progress
              type: query
              data:
                step: \${ $data.step }
                approval: \${ $data.approval }
  - begin:
      set:
        step: waiting for approval
  - approval:
      metadata:
        timeout: 1m
      listen:
        to:
          one:
            with:
              id: approve
              type: signal
              acceptIf: \${ $data.approval.ok }
  - voting:
      set:
        step: voting
  - vote:
      metadata:
        timeout: 1m
      listen:
        to:
          one:
            with:
              id: vote
              type: update
              acceptIf: \${ $data.vote > 3 }
              data:
                seen: \${ $data.vote }
                by: \${ $data.approval.by }
  - done:
      set:
        approvedBy: \${ $data.approval.by }
        vote: \${ $data.vote }
`;

describe('a client signals, queries and updates a listening execution', () => {
  test('the execution proceeds with the data each message brought, and an update acceptIf refuses leaves it listening', async () => {
    const handle = await harness.start(compileYaml(APPROVAL, 'approval.yaml'), {});
    // The query answers from its task on, with the execution's $data as it is when asked.
    expect(await queryWhenAnswered(handle, 'progress', (answer) => (answer as { step?: string }).step === 'waiting for approval')).toEqual({
      step: 'waiting for approval',
      approval: null,
    });

    await handle.signal('approve', { ok: false, by: 'eve' });
    // acceptIf refused it: the payload is in $data, the listen still waits.
    expect(await queryWhenAnswered(handle, 'progress', (answer) => (answer as { approval?: unknown }).approval !== null)).toEqual({
      step: 'waiting for approval',
      approval: { ok: false, by: 'eve' },
    });
    const waiting = await handle.query(statusQuery);
    expect(waiting.currentTask).toBe('/do/2/approval');
    // What `baton run`/`watch` show it waits for: the signal, by name.
    expect(waiting.tasks.find((task) => task.path === '/do/2/approval')?.awaiting).toEqual({ kind: 'messages', strategy: 'all', signals: ['approve'], updates: [] });

    await handle.signal('approve', { ok: true, by: 'ada' });
    // The update is answered whether or not acceptIf accepts it; a refused one leaves the listen waiting.
    expect(await updateWhenListening(handle, 'vote', 2)).toEqual({ seen: 2, by: 'ada' });
    const voting = await handle.query(statusQuery);
    expect(voting.currentTask).toBe('/do/4/vote');
    expect(voting.tasks.find((task) => task.path === '/do/4/vote')?.awaiting).toEqual({ kind: 'messages', strategy: 'all', signals: [], updates: ['vote'] });
    // A task that stopped waiting shows nothing awaited.
    expect(voting.tasks.find((task) => task.path === '/do/2/approval')?.awaiting).toBeUndefined();
    expect(await handle.query('progress')).toEqual({ step: 'voting', approval: { ok: true, by: 'ada' } });

    expect(await handle.executeUpdate('vote', { args: [5] })).toEqual({ seen: 5, by: 'ada' });
    expect(await handle.result()).toEqual({ approvedBy: 'ada', vote: 5 });
    // The query still answers once the execution has ended.
    expect(await handle.query('progress')).toEqual({ step: 'voting', approval: { ok: true, by: 'ada' } });
  }, 60_000);

  test('an update sent when no listen waits for it is refused by Temporal, and the execution carries on', async () => {
    const handle = await harness.start(compileYaml(APPROVAL, 'approval.yaml'), {});
    await queryWhenAnswered(handle, 'progress');
    const early = await handle.executeUpdate('vote', { args: [9] }).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((early as WorkflowUpdateFailedError).cause?.message)).toContain('No registered handler for update: vote');
    await handle.signal('approve', { ok: true, by: 'ada' });
    expect(await updateWhenListening(handle, 'vote', 4)).toEqual({ seen: 4, by: 'ada' });
    expect(await handle.result()).toEqual({ approvedBy: 'ada', vote: 4 });
  }, 60_000);

  test('an acceptIf that fails to evaluate fails that update for its caller, not the execution', async () => {
    const plan = compileYaml(
      `${header('bad-accept')}do:
  - vote:
      listen:
        to:
          one:
            with:
              id: vote
              type: update
              acceptIf: \${ $data.vote.count > 3 }
  - done:
      set:
        vote: \${ $data.vote }
`,
      'bad-accept.yaml',
    );
    const handle = await harness.start(plan, {});
    const failed = await updateWhenListening(handle, 'vote', 'many').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((failed as WorkflowUpdateFailedError).cause?.name).toBe('ApplicationFailure');
    expect(await handle.executeUpdate('vote', { args: [{ count: 4 }] })).toBeNull();
    expect(await handle.result()).toEqual({ vote: { count: 4 } });
  }, 60_000);
});

test('unread signals and answered queries survive continue-as-new', async () => {
  const waits = Array.from({ length: 6 }, (_, i) => `  - pause${i}:\n      wait:\n        milliseconds: 1\n`).join('');
  const plan = compileYaml(
    `${header('carried').replace('version: 1.0.0\n', 'version: 1.0.0\n  metadata:\n    canMaxHistoryLength: 12\n')}do:
  - progress:
      listen:
        to:
          one:
            with:
              id: progress
              type: query
              data:
                step: \${ $data.step }
  - first:
      listen:
        to:
          one:
            with:
              id: next
              type: signal
  - firstSeen:
      set:
        step: after the first signal
${waits}  - second:
      metadata:
        timeout: 10s
      listen:
        to:
          one:
            with:
              id: next
              type: signal
  - done:
      set:
        first: \${ $data.first }
        second: \${ $data.second }
`,
    'carried.yaml',
  );
  const handle = await harness.start(plan, {});
  // Both arrive before any listen runs: the first listen reads one, the second waits in the execution.
  await handle.signal('next', { n: 1 });
  await handle.signal('next', { n: 2 });
  expect(await handle.result()).toEqual({ first: { n: 1 }, second: { n: 2 } });
  const latest = harness.client.workflow.getHandle(handle.workflowId);
  expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId);
  // The run that ended never ran the query's task itself: the answer came over with the continue-as-new.
  expect(await latest.query('progress')).toEqual({ step: 'after the first signal' });
}, 60_000);

describe('validation', () => {
  const listenFor = (type: string, id: string) => `${header('names')}do:
  - wait:
      listen:
        to:
          one:
            with:
              id: ${id}
              type: ${type}
`;

  test('an unknown with.type is refused with its code and position', () => {
    const result = compileWorkflow(listenFor('notify', 'approve'), { file: 'unknown.yaml' });
    if (result.ok) throw new Error('an unknown with.type compiled');
    const problem = result.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    expect(problem).toMatchObject({ code: 'SW307', line: 13, column: 21, taskPath: 'do[0].wait.listen.to.one.with.type' });
    expect(problem?.message).toContain("'notify' is not a kind of Temporal message");
  });

  test("every name the runner's own handlers answer to is refused for that kind of message", () => {
    const own = {
      signal: [pauseSignal, resumeSignal, retargetCallbackSignal, { name: CALLER_CANCELLED_SIGNAL }, { name: CANCEL_REASON_SIGNAL }],
      query: [statusQuery],
      update: [pauseUpdate, resumeUpdate, cancelUpdate, retargetCallbackUpdate, prepareTerminationUpdate, awaitEndUpdate],
    };
    for (const [type, definitions] of Object.entries(own)) {
      for (const { name } of definitions) {
        const result = compileWorkflow(listenFor(type, name), { file: `${name}.yaml` });
        if (result.ok) throw new Error(`the ${type} name '${name}' compiled`);
        expect(result.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.taskPath}`)).toEqual(['SW307 do[0].wait.listen.to.one.with.id']);
      }
    }
    // The same names are free for the other kinds of message.
    expect(compileWorkflow(listenFor('signal', 'status'), { file: 'free.yaml' }).ok).toBe(true);
  });
});
