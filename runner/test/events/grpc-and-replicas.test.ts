/**
 * CloudEvents in over gRPC (`publishEvents`, the CloudEvents Protobuf Format) and across replicas:
 * replica A serves gRPC and HTTP but runs no worker, replica B runs the only worker of the same
 * task queue. An event published to A reaches the execution B runs; malformed and oversize events
 * are refused with INVALID_ARGUMENT (naming the attribute) and RESOURCE_EXHAUSTED.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { credentials, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { WorkflowRunnerServiceControllerClient } from '@baton/proto';
import type { CloudEvent, CloudEventBatch, PublishEventsResponse } from '@baton/proto';
import { eventRouterQuery, eventRouterWorkflowId } from '../../src/contract/index.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { startRunner } from '../../src/runner.ts';
import type { Runner } from '../../src/runner.ts';
import { eventually, quietLog, startStack, testConfig, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';
import { document } from './support.ts';
import { baton } from '../cli/local-stack.ts';

setDefaultTimeout(120_000);

const TOKEN = 'replica-token';
let serviceOnly: Stack;
let workerOnly: Runner;
let grpc: WorkflowRunnerServiceControllerClient;
let temporal: Client;

beforeAll(async () => {
  const taskQueue = uniqueName('events-replicas');
  serviceOnly = await startStack({ taskQueue, httpAddress: '127.0.0.1:0', authToken: TOKEN, maxEventBytes: 1024 }, 'service');
  workerOnly = await startRunner(testConfig({ taskQueue }), { role: 'worker', log: quietLog });
  grpc = new WorkflowRunnerServiceControllerClient(serviceOnly.runner.grpcAddress, credentials.createInsecure());
  temporal = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
});
afterAll(async () => {
  grpc.close();
  await serviceOnly.stop();
  await workerOnly.stop();
  await temporal.connection.close();
});

function publish(events: Partial<CloudEvent>[], token: string | undefined = TOKEN): Promise<PublishEventsResponse> {
  const metadata = new Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  const batch: CloudEventBatch = { events: events.map((event) => ({ id: crypto.randomUUID(), source: '/tests/grpc', specVersion: '1.0', type: 't', attributes: {}, ...event })) };
  return new Promise((resolve, reject) => grpc.publishEvents(batch, metadata, (error, response) => (error ? reject(error) : resolve(response))));
}

async function refusal(events: Partial<CloudEvent>[], token?: string): Promise<ServiceError> {
  return publish(events, token).then(
    () => {
      throw new Error('the publish was accepted');
    },
    (error: ServiceError) => error,
  );
}

test('an event published over gRPC to the replica without a worker reaches the execution the other replica runs', async () => {
  const id = uniqueName('listener');
  await serviceOnly.client.executeAsync({
    workflowExecutionId: id,
    workflowYaml: document('replicas', `  - wait:\n      listen:\n        to:\n          one:\n            with: { type: shipment.arrived, subject: '\${ .parcel }' }\n        read: envelope`),
    input: { parcel: 'p-9' },
  });
  const router = temporal.workflow.getHandle(eventRouterWorkflowId(serviceOnly.config.taskQueue));
  await eventually(() => router.query(eventRouterQuery).catch(() => undefined), (state) => state?.subscriptions === 1);
  const answer = await publish([
    { type: 'shipment.arrived', attributes: { subject: { ceString: 'p-1' } }, textData: '{"n":1}' },
    {
      id: 'arrived-9',
      type: 'shipment.arrived',
      attributes: { subject: { ceString: 'p-9' }, datacontenttype: { ceString: 'application/json' }, attempt: { ceInteger: 2 }, time: { ceTimestamp: new Date('2026-01-02T03:04:05Z') } },
      textData: '{"weight":3}',
    },
  ]);
  expect(answer.accepted).toBe(2);
  const [event] = (await temporal.workflow.getHandle(id).result()) as Record<string, unknown>[];
  expect(event).toEqual({
    specversion: '1.0',
    id: 'arrived-9',
    source: '/tests/grpc',
    type: 'shipment.arrived',
    subject: 'p-9',
    datacontenttype: 'application/json',
    attempt: 2,
    time: '2026-01-02T03:04:05.000Z',
    data: { weight: 3 },
  });
});

test('publishEvents refuses malformed events naming the attribute, oversize ones RESOURCE_EXHAUSTED, and needs the token', async () => {
  const missingSource = await refusal([{ type: 'ok' }, { source: '' }]);
  expect(missingSource.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect(missingSource.details).toContain('events[1].source');
  const badVersion = await refusal([{ specVersion: '0.3' }]);
  expect(badVersion.details).toContain('events[0].specversion');
  const badJson = await refusal([{ attributes: { datacontenttype: { ceString: 'application/json' } }, textData: '{nope' }]);
  expect(badJson.details).toContain('events[0].data');
  const badName = await refusal([{ attributes: { 'Not-Valid': { ceString: 'x' } } }]);
  expect(badName.details).toContain('events[0].Not-Valid');
  const large = await refusal([{ textData: 'x'.repeat(2048) }]);
  expect(large.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  expect(large.details).toContain('--max-event-bytes');
  const anonymous = await refusal([{}], '');
  expect(anonymous.code).toBe(GrpcStatus.UNAUTHENTICATED);
});

test('`baton emit` publishes an event a listening execution consumes; a bad --data is a usage error', async () => {
  const id = uniqueName('cli-listener');
  await serviceOnly.client.executeAsync({
    workflowExecutionId: id,
    workflowYaml: document('cli', `  - wait:\n      listen:\n        to:\n          one:\n            with: { type: cli.sent, subject: '\${ .key }' }`),
    input: { key: id },
  });
  const router = temporal.workflow.getHandle(eventRouterWorkflowId(serviceOnly.config.taskQueue));
  await eventually(() => router.query(eventRouterQuery).catch(() => undefined), (state) => state?.subscriptions === 1);
  const target = ['--runner', serviceOnly.runner.grpcAddress, '--token', TOKEN];
  const published = await baton(['emit', 'cli.sent', '--source', '/cli', '--subject', id, '--data', '{"ok": true}', '--json', ...target]);
  expect(published.exitCode).toBe(0);
  expect(JSON.parse(published.stdout)).toMatchObject({ type: 'cli.sent', result: 'published' });
  expect(await temporal.workflow.getHandle(id).result()).toEqual([{ ok: true }]);
  const bad = await baton(['emit', 'cli.sent', '--data', '{nope', ...target]);
  expect(bad.exitCode).toBe(2);
});
