/**
 * CloudEvents in over real loopback HTTP (`POST /events`): the three modes of the HTTP binding,
 * the runner's token, malformed events refused naming the attribute, oversize events refused, and
 * the router's memory staying bounded when nobody listens (10,000 events).
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { eventRouterQuery, eventRouterWorkflowId } from '../../src/contract/index.ts';
import type { EventRouterSnapshot } from '../../src/contract/index.ts';
import { RECENT_EVENT_IDS, ROUTER_HISTORY_LIMIT } from '../../src/workflow/events/router.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { eventually, startStack } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

setDefaultTimeout(240_000);

let stack: Stack;
let client: Client;
let url: string;
const bearer = { authorization: 'Bearer tok' };

beforeAll(async () => {
  stack = await startStack({ httpAddress: '127.0.0.1:0', authToken: 'tok', maxEventBytes: 2048 });
  url = `${stack.runner.httpUrl}/events`;
  client = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
});
afterAll(async () => {
  await stack.stop();
  await client.connection.close();
});

const router = () => client.workflow.getHandle(eventRouterWorkflowId(stack.config.taskQueue));
const snapshot = () => router().query(eventRouterQuery);

function structured(event: Record<string, unknown>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(event) });
}

const valid = (id: string) => ({ specversion: '1.0', id, source: '/tests/ingest', type: 'test.ingested', data: { n: 1 } });

test('publishing needs the runner token', async () => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(valid('no-token')) });
  expect(response.status).toBe(401);
});

test('structured, binary and batched events are accepted and reach the router', async () => {
  expect((await structured(valid('s-1'))).status).toBe(202);
  const binary = await fetch(url, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'b-1', 'ce-source': '/tests/binary', 'ce-type': 'test.binary', 'ce-subject': 'caf%C3%A9' },
    body: '{"n":2}',
  });
  expect(binary.status).toBe(202);
  const batch = await fetch(url, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify([valid('batch-1'), valid('batch-2'), { ...valid('batch-3'), data: undefined, data_base64: 'aGk=' }]),
  });
  expect(batch.status).toBe(202);
  expect(await batch.json()).toEqual({ accepted: 3 });
  // Re-publishing an event (same source and id) is acknowledged and routed once.
  expect((await structured(valid('s-1'))).status).toBe(202);
  const state = await eventually(snapshot, (s) => s.counters.received >= 6 && s.queued === 0);
  expect(state.counters.received).toBe(6);
  expect(state.counters.duplicates).toBe(1);
  expect(state.counters.unmatched).toBe(5);
});

test('a malformed event is refused 400, naming the attribute', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ specversion: '1.0', id: 'x', type: 't' }, 'source'],
    [{ specversion: '0.3', id: 'x', source: '/s', type: 't' }, 'specversion'],
    [{ specversion: '1.0', id: '', source: '/s', type: 't' }, 'id'],
    [{ specversion: '1.0', id: 'x', source: '/s' }, 'type'],
    [{ ...valid('x'), time: 'yesterday' }, 'time'],
    [{ ...valid('x'), 'Bad-Name': 'v' }, 'Bad-Name'],
    [{ ...valid('x'), ext: { nested: true } }, 'ext'],
    [{ ...valid('x'), data_base64: 'aGk=' }, 'data_base64'],
    [{ ...valid('x'), data: JSON.parse(`${'['.repeat(33)}1${']'.repeat(33)}`) }, 'data'],
  ];
  for (const [event, attribute] of cases) {
    const response = await structured(event);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; attribute: string; message: string };
    expect({ attribute: body.attribute, code: body.code }).toEqual({ attribute, code: 'CLOUDEVENT_INVALID' });
    expect(body.message.length).toBeGreaterThan(10);
  }
  const missingHeader = await fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'y', 'ce-type': 't' }, body: '{}' });
  expect(((await missingHeader.json()) as { attribute: string }).attribute).toBe('source');
  const notJson = await fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'application/cloudevents+json' }, body: '{nope' });
  expect(notJson.status).toBe(400);
  const notAnEvent = await fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'hello' });
  expect(notAnEvent.status).toBe(400);
  const badInBatch = await fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify([valid('ok'), { ...valid('bad'), type: 7 }]) });
  expect(badInBatch.status).toBe(400);
  expect(await badInBatch.json()).toMatchObject({ attribute: 'type', message: expect.stringContaining('event 1 of the batch') });
});

test('an event over --max-event-bytes is refused 413 and never reaches the router', async () => {
  const before = (await snapshot()).counters.received;
  const response = await structured({ ...valid('big'), data: 'x'.repeat(4096) });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ code: 'EVENT_TOO_LARGE', attribute: 'data' });
  expect((await snapshot()).counters.received).toBe(before);
});

test('10,000 events nobody listens for are counted and dropped: the router state and history stay bounded', async () => {
  const before = await snapshot();
  const total = 10_000;
  // One signal a request: 2,500 signals, well past one run's history limit (2,000 events) even
  // when a loaded router takes hundreds of them in one workflow task.
  const perRequest = 4;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const first = next;
      next += perRequest;
      const events = Array.from({ length: perRequest }, (_, offset) => ({ ...valid(`flood-${first + offset}`), data: { id: first + offset } }));
      const response = await fetch(url, { method: 'POST', headers: { ...bearer, 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(events) });
      if (response.status !== 202) throw new Error(`events from ${first}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const after: EventRouterSnapshot = await eventually(snapshot, (s) => s.counters.received >= before.counters.received + total && s.queued === 0, 120_000);
  expect(after.counters.unmatched - before.counters.unmatched).toBe(total);
  expect(after.queued).toBe(0);
  expect(after.subscriptions).toBe(0);
  expect(after.recent).toBeLessThanOrEqual(RECENT_EVENT_IDS);
  // 2,500 signals do not fit one run's history limit: the router continued as new, and the run now
  // going holds a bounded history.
  expect(after.counters.runs).toBeGreaterThan(before.counters.runs);
  expect(after.historyLength).toBeLessThan(ROUTER_HISTORY_LIMIT + 500);
  console.log(`router after 10,000 unmatched events: ${JSON.stringify(after)}`);
});
