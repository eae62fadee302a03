/**
 * `emit` against the real dev server: the event built from the task (expressions evaluated, id and
 * time filled in) reaches an execution listening for it through the bus, and a sink configured on
 * the runner receives it once as a structured CloudEvent over real HTTP, retried when it refuses.
 * With BATON_RECORD_HISTORIES=1 the emitting execution's history goes to specs/histories/.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { parseEgressAllow } from '../../src/egress/index.ts';
import type { EgressPolicy } from '../../src/egress/index.ts';
import { document, startEventStack } from './support.ts';
import type { EventStack } from './support.ts';
import { recordHistory } from '../support/record-history.ts';

setDefaultTimeout(120_000);

const received: { headers: Headers; body: Record<string, unknown> }[] = [];
let refuseNext = 1;
const sink = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: async (request) => {
    // The first delivery is refused: the activity must retry it.
    if (refuseNext > 0) {
      refuseNext--;
      return new Response('busy', { status: 503 });
    }
    received.push({ headers: request.headers, body: (await request.json()) as Record<string, unknown> });
    return new Response(null, { status: 202 });
  },
});

let bus: EventStack;
beforeAll(async () => {
  bus = await startEventStack({ eventSinks: [`http://127.0.0.1:${sink.port}/sink`], egress: parseEgressAllow('loopback') as EgressPolicy });
});
afterAll(async () => {
  await bus.stop();
  await sink.stop(true);
});

test('an emitted event reaches a listening execution and the configured sink, once, with the same id', async () => {
  const listener = await bus.start(document('listener', `  - wait:\n      listen:\n        to:\n          one:\n            with: { type: order.placed, source: 'https://shop.example/orders' }\n        read: envelope`));
  await bus.subscribed(1);
  const emitter = await bus.start(
    document(
      'emitter',
      `  - announce:
      emit:
        event:
          with:
            source: https://shop.example/orders
            type: order.placed
            subject: \${ "order-" + (.order | tostring) }
            priority: high
            data:
              order: \${ .order }
              total: \${ .total * 2 }
  - after:
      set:
        done: true`,
    ),
    { order: 42, total: 10 },
  );
  expect(await bus.result(emitter)).toEqual({ done: true });
  const [event] = (await bus.result(listener)) as Record<string, unknown>[];
  expect(event).toMatchObject({ specversion: '1.0', source: 'https://shop.example/orders', type: 'order.placed', subject: 'order-42', priority: 'high', datacontenttype: 'application/json', data: { order: 42, total: 20 } });
  expect(typeof event!.id).toBe('string');
  expect(Number.isNaN(Date.parse(String(event!.time)))).toBe(false);
  expect(received).toHaveLength(1);
  expect(received[0]!.headers.get('content-type')).toContain('application/cloudevents+json');
  expect(received[0]!.body).toMatchObject({ id: event!.id, source: 'https://shop.example/orders', type: 'order.placed', data: { order: 42, total: 20 } });
  expect(refuseNext).toBe(0);
  await recordHistory(bus.client.workflow.getHandle(emitter), 'emit-bus-and-sink');
});

test('an event whose type is not a string fails the emit task with a clear error', async () => {
  const id = await bus.start(document('bad-emit', `  - announce:\n      emit:\n        event:\n          with:\n            source: https://shop.example/orders\n            type: \${ .missing }`));
  const failure = await bus.result(id).then(
    () => undefined,
    (error: unknown) => error as Error & { cause?: Error },
  );
  expect(String(failure?.cause?.message)).toContain("the event's type must be a non-empty string");
});
