import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startActivityWorker } from '../../../examples/activity/worker.ts';
import { startGreeter } from '../../../examples/grpc/server.ts';
import { EXAMPLE_CREDENTIALS, startExampleServer } from '../../../examples/server.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { baton, startLocalStack, type LocalStack } from './local-stack.ts';

let stack: LocalStack;
let server: ReturnType<typeof startExampleServer>;
let baseUrl: string;

beforeAll(async () => {
  server = startExampleServer(0);
  baseUrl = `http://127.0.0.1:${server.port}`;
  stack = await startLocalStack({
    args: ['--temporal-address', testTemporal().address, '--task-queue', `examples-${crypto.randomUUID()}`, '--catalogue', 'examples/catalogue'],
    env: {
      BATON_SECRET_EXAMPLEUSER: EXAMPLE_CREDENTIALS.user,
      BATON_SECRET_EXAMPLEPASSWORD: EXAMPLE_CREDENTIALS.password,
      BATON_SECRET_EXAMPLETOKEN: EXAMPLE_CREDENTIALS.token,
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  server?.stop(true);
}, 30_000);

async function runExample(file: string, input: unknown): Promise<unknown> {
  const result = await baton(['run', file, '--input', JSON.stringify(input), '--json', '--runner', stack.grpcAddress]);
  const execution = JSON.parse(result.stdout);
  expect({ phase: execution.phase, error: execution.error, exitCode: result.exitCode }).toEqual({ phase: 'completed', error: undefined, exitCode: 0 });
  return execution.output;
}

test('hello greets', async () => {
  expect(await runExample('examples/hello.yaml', { name: 'Ada' })).toEqual({ greeting: 'Hello, Ada!', length: 3 });
});

test('fan-out prices the order in a fork and totals it with a for loop', async () => {
  const input = JSON.parse(await Bun.file('examples/fan-out.input.json').text());
  expect(await runExample('examples/fan-out.yaml', input)).toEqual({ subtotal: 30, tax: 5.7, shipping: 4.99, total: 40.69 });
});

test('http-retry gets through a flaky service after retries', async () => {
  const output = await runExample('examples/http-retry.yaml', { baseUrl, failures: 2, key: crypto.randomUUID() });
  expect(output).toEqual({ quote: 'Simple things should be simple.', source: 'service' });
});

test('http-retry falls back in catch when the service stays down', async () => {
  const output = await runExample('examples/http-retry.yaml', { baseUrl, failures: 100, key: crypto.randomUUID() });
  expect(output).toEqual({ quote: 'cached', source: 'fallback' });
});

test('approval waits for a decision', async () => {
  const output = (await runExample('examples/approval.yaml', { baseUrl, request: 'laptop', decideAfterPolls: 1 })) as Record<string, unknown>;
  expect(output).toMatchObject({ status: 'approved', reason: null });
  expect(output.approvalId).toMatch(/^apr-\d+$/);
});

test('approval rejects automatically when nobody decides in time', async () => {
  const output = await runExample('examples/approval.yaml', { baseUrl, request: 'yacht', decideAfterPolls: 1_000_000 });
  expect(output).toMatchObject({ status: 'rejected', reason: 'nobody decided in time' });
}, 30_000);

test('child-workflow runs a catalogue document as a child workflow', async () => {
  const output = await runExample('examples/child-workflow.yaml', { orderId: 'o-17', country: 'de', weightKg: 3 });
  expect(output).toEqual({ orderId: 'o-17', shipment: { carrier: 'parcel', label: 'O-17-DE' } });
});

test('openapi calls an operation of the document the example server serves', async () => {
  expect(await runExample('examples/openapi.yaml', { baseUrl, index: 1 })).toEqual({ quote: 'COMPLEX THINGS SHOULD BE POSSIBLE.' });
});

/** The example with its fixed ports (or task queue) replaced by the ones this test uses. */
function rewritten(file: string, replacements: Record<string, string>): { path: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'baton-example-'));
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to);
  const path = join(folder, file.split('/').pop()!);
  writeFileSync(path, text);
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

test('grpc calls the example greeter with the .proto it serves', async () => {
  const greeter = await startGreeter(0, 0);
  const example = rewritten('examples/grpc.yaml', { '4012': String(greeter.httpPort), '4011': String(greeter.grpcPort) });
  try {
    expect(await runExample(example.path, { name: 'Ada' })).toEqual({ message: 'Hello, Ada!' });
  } finally {
    example.remove();
    greeter.stop();
  }
});

test('activity runs an activity served by a worker of its own', async () => {
  const queue = `examples-activities-${crypto.randomUUID()}`;
  const worker = await startActivityWorker(testTemporal().address, queue);
  const example = rewritten('examples/activity.yaml', { 'taskQueue: examples-activities': `taskQueue: ${queue}` });
  try {
    expect(await runExample(example.path, { name: 'Ada', years: 3 })).toEqual({ name: 'Ada', score: 70, hired: true });
  } finally {
    example.remove();
    await worker.stop();
  }
});

test('authentication: basic, bearer and digest with credentials from the runner\'s secrets', async () => {
  expect(await runExample('examples/authentication.yaml', { baseUrl })).toEqual({ basic: 'Basic', bearer: 'Bearer', digest: 'Digest' });
});
