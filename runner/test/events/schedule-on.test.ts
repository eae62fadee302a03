/**
 * Event-driven starts (`schedule.on`) on the real dev server: a deployed document starts one
 * execution per matching event published over HTTP (`POST /events`) or gRPC (`publishEvents`),
 * with the array of consumed events as its input; a non-matching event starts nothing; the same
 * event published twice starts one execution; a redeploy changes the filter in place; an undeploy
 * stops the trigger; `to.all` with `correlate` starts once each correlated set is complete; an
 * event delivered to the registry twice (as past the router's memory of ids) starts one run.
 * With BATON_RECORD_HISTORIES=1 the `all` trigger's registry history is written to specs/histories/,
 * where replay.test.ts replays it.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CloudEvent, CloudEventBatch, DeployResponse, ListSchedulesResponse, PublishEventsResponse, WorkflowReference } from '@baton/proto';
import { deliverEventSignal, deploymentWorkflowId, triggeredRunId, triggeredRunsQuery } from '../../src/contract/index.ts';
import type { CloudEventJson } from '../../src/contract/index.ts';
import { TRIGGER_SUBSCRIPTION_KEY } from '../../src/workflow/deployment/event-trigger.ts';
import type { WorkflowRef } from '../../src/contract/index.ts';
import { eventually, uniqueName } from '../service/support/stack.ts';
import { startEventStack, TOKEN } from './support.ts';
import { baton } from '../cli/local-stack.ts';
import type { EventStack } from './support.ts';
import { recordHistory } from '../support/record-history.ts';

setDefaultTimeout(180_000);

let events: EventStack;
const NS = uniqueName('on');
const SHOP = 'https://shop.test/orders';

beforeAll(async () => {
  events = await startEventStack();
});
afterAll(async () => {
  await events?.stop();
});

type Callback<T> = (error: ServiceError | null, value: T) => void;
/** One unary call of the runner's service by method name, over the real gRPC client, with the runner's token. */
function call<Req, Res>(method: string, request: Req): Promise<Res> {
  const raw = events.stack.client.raw as unknown as Record<string, (request: Req, metadata: Metadata, callback: Callback<Res>) => unknown>;
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${TOKEN}`);
  return new Promise((resolve, reject) => raw[method]!.call(events.stack.client.raw, request, metadata, (error, value) => (error ? reject(error) : resolve(value))));
}
const deploy = (workflowYaml: string) => call<{ workflowYaml: string }, DeployResponse>('deploy', { workflowYaml });
const undeploy = (reference: WorkflowReference) => call('undeploy', { reference });

function triggered(name: string, on: string): string {
  return `document: {dsl: 1.0.3, namespace: ${NS}, name: ${name}, version: 1.0.0}
schedule:
  on:
${on}
do:
  - keep:
      set:
        events: \${ . }
        count: \${ length }
`;
}

async function publishHttp(batch: readonly Record<string, unknown>[]): Promise<void> {
  const response = await events.publish(batch);
  expect(response.status).toBe(202);
}

async function publishGrpc(event: Partial<CloudEvent>): Promise<PublishEventsResponse> {
  const batch: CloudEventBatch = { events: [{ id: crypto.randomUUID(), source: SHOP, specVersion: '1.0', type: 't', attributes: {}, ...event }] };
  return call<CloudEventBatch, PublishEventsResponse>('publishEvents', batch);
}

/** The output of the execution the event started (waits for it to start and end). */
async function runOf(ref: WorkflowRef, event: { source: string; id: string }): Promise<{ events: Record<string, unknown>[]; count: number }> {
  const id = triggeredRunId(ref, event);
  await eventually(
    () => events.client.workflow.getHandle(id).describe().then(() => true, () => false),
    (started) => started,
    60_000,
  );
  return (await events.client.workflow.getHandle(id).result()) as { events: Record<string, unknown>[]; count: number };
}

async function neverStarted(ref: WorkflowRef, event: { source: string; id: string }): Promise<void> {
  const error = await events.client.workflow.getHandle(triggeredRunId(ref, event)).describe().then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(WorkflowNotFoundError);
}

const trigger = (ref: WorkflowRef) => events.client.workflow.getHandle(deploymentWorkflowId(ref)).query(triggeredRunsQuery);

test('one: each matching event starts one execution with the events as input, over HTTP and gRPC; redeploy changes the filter; undeploy stops it', async () => {
  const ref = { namespace: NS, name: 'orders', version: '1.0.0' };
  const first = await deploy(triggered('orders', `    one:\n      with: { type: order.placed, source: '${SHOP}' }`));
  expect(first.message).toContain('schedule created');
  await events.subscribed(1);

  // Over HTTP: the non-matching event (other type) goes first; the registry handles events in order.
  const other = { id: 'o-0', source: SHOP, type: 'order.cancelled', data: { order: 0 } };
  const placed = { id: 'o-1', source: SHOP, type: 'order.placed', data: { order: 1 } };
  await publishHttp([other, placed]);
  const run = await runOf(ref, placed);
  expect(run.count).toBe(1);
  expect(run.events[0]).toMatchObject({ specversion: '1.0', id: 'o-1', source: SHOP, type: 'order.placed', data: { order: 1 } });
  await neverStarted(ref, other);

  // The same event again (same source and id) starts nothing new.
  await publishHttp([placed]);
  // Over gRPC, in the CloudEvents Protobuf Format.
  const answer = await publishGrpc({ id: 'o-2', type: 'order.placed', attributes: { datacontenttype: { ceString: 'application/json' } }, textData: '{"order":2}' });
  expect(answer.accepted).toBe(1);
  const viaGrpc = await runOf(ref, { source: SHOP, id: 'o-2' });
  expect(viaGrpc.events[0]).toMatchObject({ id: 'o-2', type: 'order.placed', data: { order: 2 } });
  expect((await trigger(ref))?.started).toBe(2);

  const schedules = await call<{ namespace: string }, ListSchedulesResponse>('listSchedules', { namespace: NS });
  const listed = schedules.schedules.find((schedule) => schedule.reference?.name === 'orders');
  expect(listed?.spec).toBe(`on one {type=order.placed, source=${SHOP}}`);
  expect(listed?.lastExecutionId).toBe(triggeredRunId(ref, { source: SHOP, id: 'o-2' }));
  expect(listed?.scheduleId).toBe(deploymentWorkflowId(ref));
  const target = ['--runner', events.stack.runner.grpcAddress, '--token', TOKEN];
  const cli = await baton(['schedules', '--namespace', NS, ...target]);
  expect(cli.exitCode).toBe(0);
  expect(cli.stdout).toContain(`${NS}/orders/1.0.0  on one {type=order.placed, source=${SHOP}}  2 started, 0 duplicate`);
  expect((await baton(['deployments', '--namespace', NS, ...target])).stdout).toContain('on one {type=order.placed');
  const paused = await baton(['schedules', 'pause', `${NS}/orders/1.0.0`, ...target]);
  expect(paused.exitCode).not.toBe(0);
  expect(paused.stderr).toContain('runs on events');

  // Redeploy: the filter changes in place (same subscription), and only the new type starts runs.
  const second = await deploy(triggered('orders', `    one:\n      with: { type: order.shipped, source: '${SHOP}' }`));
  expect(second.message).toContain('schedule updated');
  await events.subscribed(1);
  const stale = { id: 'o-3', source: SHOP, type: 'order.placed' };
  const shipped = { id: 'o-4', source: SHOP, type: 'order.shipped', data: { order: 4 } };
  await publishHttp([stale, shipped]);
  expect((await runOf(ref, shipped)).events[0]).toMatchObject({ id: 'o-4', type: 'order.shipped' });
  await neverStarted(ref, stale);
  expect((await trigger(ref))?.started).toBe(3);

  // Undeploy: the subscription goes; an event afterwards is unmatched and starts nothing.
  await undeploy(ref);
  await events.subscribed(0);
  const before = (await events.router()).counters.unmatched;
  const late = { id: 'o-5', source: SHOP, type: 'order.shipped' };
  await publishHttp([late]);
  await eventually(events.router, (state) => state.counters.unmatched > before && state.queued === 0);
  await neverStarted(ref, late);
});

test('all with correlate: one execution per complete set, each with its own events, whatever their order', async () => {
  const ref = { namespace: NS, name: 'fulfil', version: '1.0.0' };
  const correlate = `\n        correlate:\n          order: { from: '\${ .data.order }' }`;
  await deploy(
    triggered(
      'fulfil',
      `    all:\n      - with: { type: order.paid }${correlate}\n      - with: { type: order.packed, data: '\${ .ok == true }' }${correlate}`,
    ),
  );
  await events.subscribed(1);
  const paid1 = { id: 'p-1', source: SHOP, type: 'order.paid', data: { order: 1 } };
  const paid2 = { id: 'p-2', source: SHOP, type: 'order.paid', data: { order: 2 } };
  const packedBad = { id: 'k-2x', source: SHOP, type: 'order.packed', data: { order: 2, ok: false } };
  const packed2 = { id: 'k-2', source: SHOP, type: 'order.packed', data: { order: 2, ok: true } };
  await publishHttp([paid1, paid2, packedBad, packed2]);
  const second = await runOf(ref, packed2);
  expect(second.events.map((event) => event.id)).toEqual(['p-2', 'k-2']);
  await neverStarted(ref, packedBad);
  expect((await trigger(ref))?.openSets).toBe(1);

  const packed1 = { id: 'k-1', source: SHOP, type: 'order.packed', data: { order: 1, ok: true } };
  await publishHttp([packed1]);
  const first = await runOf(ref, packed1);
  expect(first.events.map((event) => event.id)).toEqual(['p-1', 'k-1']);
  expect(await trigger(ref)).toMatchObject({ started: 2, openSets: 0 });
  await undeploy(ref);
  await recordHistory(events.client.workflow.getHandle(deploymentWorkflowId(ref)), 'deployment-registry-on');
});

test('an event delivered twice starts one run: Temporal refuses the second start of its id, and the registry counts it', async () => {
  const ref = { namespace: NS, name: 'twice', version: '1.0.0' };
  await deploy(triggered('twice', `    any:
      - with: { type: ping }`));
  await events.subscribed(1);
  const event: CloudEventJson = { specversion: '1.0', id: 'ping-1', source: SHOP, type: 'ping' };
  // What the router sends; sent twice as the router would if the id had left its last 1,000.
  const registry = events.client.workflow.getHandle(deploymentWorkflowId(ref));
  const delivery = { kind: 'events' as const, items: [{ keys: [TRIGGER_SUBSCRIPTION_KEY], event }] };
  await registry.signal(deliverEventSignal, delivery);
  expect((await runOf(ref, event)).count).toBe(1);
  await registry.signal(deliverEventSignal, delivery);
  expect(await eventually(() => trigger(ref), (view) => view?.duplicates === 1)).toMatchObject({ started: 1, duplicates: 1 });
  await undeploy(ref);
});

test('an event whose source and id are too long for a workflow id still starts one run, under a hashed id, and the trigger goes on', async () => {
  const ref = { namespace: NS, name: 'long-ids', version: '1.0.0' };
  await deploy(triggered('long-ids', `    any:
      - with: { type: long }`));
  await events.subscribed(1);
  // Each alone is under the event's size cap and together far past Temporal's 1,000-byte workflow id.
  const long = { id: `id-${'i'.repeat(900)}`, source: `https://shop.test/${'s'.repeat(900)}`, type: 'long', data: { n: 1 } };
  const id = triggeredRunId(ref, long);
  expect(new TextEncoder().encode(id).length).toBeLessThanOrEqual(1000);
  expect(id.startsWith(`baton-triggered/${NS}/long-ids/1.0.0/https%3A%2F%2Fshop.test%2Fsss`)).toBe(true);
  // Another event with the same long prefix gets another id: the hash covers the whole tail.
  expect(triggeredRunId(ref, { ...long, id: `${long.id}x` })).not.toBe(id);
  await publishHttp([long]);
  expect((await runOf(ref, long)).events[0]).toMatchObject({ id: long.id, source: long.source });
  // Delivered again (as past the router's memory of ids): the same hashed id, so a duplicate.
  const again = { kind: 'events' as const, items: [{ keys: [TRIGGER_SUBSCRIPTION_KEY], event: { specversion: '1.0' as const, ...long } }] };
  await events.client.workflow.getHandle(deploymentWorkflowId(ref)).signal(deliverEventSignal, again);
  // And an ordinary event after it still starts its run: the registry is not stuck.
  const short = { id: 'short-1', source: SHOP, type: 'long' };
  await publishHttp([short]);
  expect((await runOf(ref, short)).count).toBe(1);
  expect(await eventually(() => trigger(ref), (view) => view?.duplicates === 1)).toMatchObject({ started: 2, duplicates: 1 });
  await undeploy(ref);
});
