/**
 * `listen` against the real dev server and real HTTP ingest: each consumption strategy, filters on
 * attributes and data (literal and expressions), correlation, read modes, until (condition and
 * events), foreach, the task timeout, and executions correlated on a key getting only their events.
 * With BATON_RECORD_HISTORIES=1 the histories of some listening executions and of the router are
 * written to specs/histories/ for the replay test.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { WorkflowFailedError } from '@temporalio/client';
import { eventRouterWorkflowId } from '../../src/contract/index.ts';
import { document, startEventStack } from './support.ts';
import type { EventStack } from './support.ts';
import { recordHistory } from '../support/record-history.ts';

setDefaultTimeout(120_000);

let bus: EventStack;
beforeAll(async () => {
  bus = await startEventStack();
});
afterAll(() => bus.stop());

function record(workflowId: string, name: string): Promise<void> {
  return recordHistory(bus.client.workflow.getHandle(workflowId), name);
}

async function accepted(events: readonly Record<string, unknown>[]): Promise<void> {
  const response = await bus.publish(events);
  expect(response.status).toBe(202);
}

test('to.one: attribute and data-expression filters pick the one event; read: data; the subscription is gone after', async () => {
  const id = await bus.start(
    document(
      'one',
      `  - wait:
      listen:
        to:
          one:
            with:
              type: vitals.temperature
              subject: \${ .patient }
              data: \${ .celsius > 38 }`,
    ),
    { patient: 'p-1' },
  );
  await bus.subscribed(1);
  await accepted([
    { type: 'vitals.pulse', subject: 'p-1', data: { celsius: 40 } },
    { type: 'vitals.temperature', subject: 'p-2', data: { celsius: 40 } },
    { type: 'vitals.temperature', subject: 'p-1', data: { celsius: 37 } },
    { type: 'vitals.temperature', subject: 'p-1', data: { celsius: 39.5 } },
  ]);
  expect(await bus.result(id)).toEqual([{ celsius: 39.5 }]);
  await bus.subscribed(0);
});

test('to.any with no filters takes any event; read: envelope gives the whole CloudEvent', async () => {
  const id = await bus.start(document('any-event', `  - wait:\n      listen:\n        to:\n          any: []\n        read: envelope`));
  await bus.subscribed(1);
  await accepted([{ id: 'env-1', type: 'anything.at.all', data: { x: 1 }, ext1: 'yes' }]);
  expect(await bus.result(id)).toEqual([{ specversion: '1.0', id: 'env-1', source: '/tests/events', type: 'anything.at.all', data: { x: 1 }, ext1: 'yes' }]);
});

test('to.all with correlate and no expect: the first event fixes the key, the others must share it; read: raw', async () => {
  const id = await bus.start(
    document(
      'all',
      `  - wait:
      listen:
        to:
          all:
            - with: { type: order.paid }
              correlate: { order: { from: '\${ .data.order }' } }
            - with: { type: order.shipped, data: { carrier: acme } }
              correlate: { order: { from: '\${ .data.order }' } }
        read: raw`,
    ),
  );
  await bus.subscribed(1);
  await accepted([
    { type: 'order.paid', data: { order: 7 } },
    { type: 'order.shipped', data: { order: 8, carrier: 'acme' } },
    { type: 'order.shipped', data: { order: 7, carrier: 'other' } },
    { type: 'order.shipped', data: { order: 7, carrier: 'acme', weight: 2 } },
  ]);
  expect(await bus.result(id)).toEqual(['{"order":7}', '{"order":7,"carrier":"acme","weight":2}']);
});

test('two executions correlated on a key (expect from their input) each get only their own events', async () => {
  const yaml = document(
    'correlated',
    `  - wait:
      listen:
        to:
          any:
            - with: { type: approval.decided }
              correlate: { request: { from: '\${ .data.request }', expect: '\${ .request }' } }
          until: '\${ length >= 2 }'`,
  );
  const first = await bus.start(yaml, { request: 'r-1' });
  const second = await bus.start(yaml, { request: 'r-2' });
  await bus.subscribed(2);
  await accepted([
    { type: 'approval.decided', data: { request: 'r-2', n: 1 } },
    { type: 'approval.decided', data: { request: 'r-1', n: 1 } },
    { type: 'approval.decided', data: { request: 'r-3', n: 1 } },
    { type: 'approval.decided', data: { request: 'r-1', n: 2 } },
    { type: 'approval.decided', data: { request: 'r-2', n: 2 } },
  ]);
  expect(await bus.result(first)).toEqual([{ request: 'r-1', n: 1 }, { request: 'r-1', n: 2 }]);
  expect(await bus.result(second)).toEqual([{ request: 'r-2', n: 1 }, { request: 'r-2', n: 2 }]);
  await record(first, 'listen-any-until-correlated');
});

test('to.any until events: the stopping event ends the listen and is not in the output; foreach runs do and output.as per event, and export.as', async () => {
  const id = await bus.start(
    document(
      'until-events',
      `  - collect:
      listen:
        to:
          any:
            - with: { type: reading }
          until:
            one:
              with: { type: reading.end }
      foreach:
        item: reading
        at: position
        do:
          - double:
              set:
                value: \${ $reading.value * 2 }
                position: \${ $position }
        output:
          as: \${ .value }
        export:
          as: '\${ { last: . } }'
  - report:
      set:
        values: \${ . }
        last: \${ $context.last }`,
    ),
  );
  await bus.subscribed(1);
  await accepted([
    { type: 'reading', data: { value: 1 } },
    { type: 'other', data: { value: 100 } },
    { type: 'reading', data: { value: 2 } },
    { type: 'reading.end', data: { value: 50 } },
    { type: 'reading', data: { value: 3 } },
  ]);
  expect(await bus.result(id)).toEqual({ values: [2, 4], last: 4 });
  await record(id, 'listen-foreach-until-events');
  await record(eventRouterWorkflowId(bus.stack.config.taskQueue), 'event-router');
});

test('a listen nobody answers fails with the task timeout and unsubscribes', async () => {
  const before = (await bus.router()).subscriptions;
  const id = await bus.start(document('timeout', `  - wait:\n      listen:\n        to:\n          one:\n            with: { type: never.sent }\n      timeout:\n        after: { seconds: 1 }`));
  const failure = await bus.result(id).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toContain('did not finish within 1000 ms');
  await bus.subscribed(before);
});
