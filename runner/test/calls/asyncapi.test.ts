/**
 * `call: asyncapi` end to end on the real dev server and a real Mosquitto broker started here:
 * publishing through an AsyncAPI 3.0 document read from the documents folder (seen by the test's
 * own MQTT client), consuming through a 2.6 document read over HTTP (`amount`, `filter`, `while`,
 * `until`, `for`, the task timeout), the broker's username and password, and coded refusals.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';
import { createAsyncApiActivities } from '../../src/activities/asyncapi.ts';
import type { AsyncApiCallRequest } from '../../src/contract/index.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';
import { mosquittoMissing, startMosquitto } from './mosquitto.ts';
import type { Broker } from './mosquitto.ts';

const USER = { name: 'baton', password: 'mqtt-sesame-42' };
const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const instance = '/do/0/call';
/** How often the test's publisher sends the next counter message while a subscription runs. */
const PUBLISH_EVERY_MS = 40;

const GREETINGS_V3 = `
asyncapi: 3.0.0
info: { title: Greetings, version: 1.0.0 }
servers:
  local:
    host: '127.0.0.1:{port}'
    protocol: mqtt
    protocolVersion: '5'
    variables:
      port: { default: '1' }
channels:
  greetings:
    address: baton/greetings
    messages:
      greeting: { payload: { type: object } }
operations:
  sendGreeting:
    action: send
    channel: { $ref: '#/channels/greetings' }
    bindings: { mqtt: { qos: 1 } }
`;

const counterV2 = (port: number) => `
asyncapi: 2.6.0
info: { title: Counter, version: 1.0.0 }
servers:
  broker: { url: 'mqtt://127.0.0.1:${port}', protocol: mqtt, protocolVersion: '5' }
  other: { url: 'kafka.example.com:9092', protocol: kafka }
channels:
  baton/counter:
    subscribe:
      operationId: readCounter
      message: { payload: { type: object } }
`;

let folder: string;
let broker: Broker;
let http: ReturnType<typeof Bun.serve>;
let harness: Harness;
let observer: MqttClient;

const skip = mosquittoMissing !== undefined;
if (skip) console.warn(`skipping call: asyncapi tests: ${mosquittoMissing}`);

beforeAll(async () => {
  if (skip) return;
  folder = mkdtempSync(join(tmpdir(), 'baton-asyncapi-'));
  writeFileSync(join(folder, 'greetings.yaml'), GREETINGS_V3);
  broker = await startMosquitto(USER);
  http = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => (new URL(request.url).pathname === '/counter.yaml' ? new Response(counterV2(broker.port)) : new Response('no', { status: 404 })) });
  harness = await startHarness('asyncapi', {
    ...createAsyncApiActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder, secrets: { file: { broker: USER.password }, env: {} } }),
  });
  observer = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, reconnectPeriod: 0 });
});

afterAll(async () => {
  if (skip) return;
  await observer?.endAsync();
  await harness?.stop();
  await broker?.stop();
  http?.stop(true);
  rmSync(folder, { recursive: true, force: true });
});

const document = (body: string) => `
document:
  dsl: 1.0.0
  namespace: test
  name: asyncapi
  version: 1.0.0
  metadata:
    activityOptions:
      retryPolicy: { maximumAttempts: 1 }
use:
  secrets: [broker]
do:
  - call:
${body}`;

const publishing = (password: string, operation = 'sendGreeting') =>
  document(`      call: asyncapi
      with:
        document:
          endpoint: file:///greetings.yaml
        operation: ${operation}
        server:
          name: local
          variables:
            port: '${broker.port}'
        message:
          payload:
            greeting: \${ "Hello, " + .name }
          headers:
            source: baton
        authentication:
          basic:
            username: ${USER.name}
            password: ${password}
`);

const consuming = (consume: string, extra = '') =>
  document(`      call: asyncapi${extra}
      with:
        document:
          endpoint: http://127.0.0.1:${http.port}/counter.yaml
        channel: baton/counter
        protocol: mqtt
        subscription:
${consume}
`);

const start = (source: string, input: unknown = { name: 'Ada' }) => harness.start(compileYaml(source, 'asyncapi.yaml'), input);

/**
 * Runs a subscribing execution while the test publishes a counter (1, 2, 3 …, with a header and a
 * correlation id) until it ends: which numbers it kept shows the consumption policy at work.
 */
async function consumeCounter(source: string): Promise<{ readonly handle: Awaited<ReturnType<typeof start>>; readonly outcome: Promise<unknown> }> {
  const handle = await start(source);
  const outcome = handle.result();
  let ended = false;
  outcome.then(
    () => (ended = true),
    () => (ended = true),
  );
  void (async () => {
    for (let n = 1; !ended && n < 2_000; n++) {
      await observer.publishAsync('baton/counter', JSON.stringify({ n }), { properties: { userProperties: { source: 'test' }, correlationData: Buffer.from(`c-${n}`) } });
      await Bun.sleep(PUBLISH_EVERY_MS);
    }
  })();
  return { handle, outcome };
}

type Counted = { payload: { n: number }; headers: Record<string, string>; correlationId: string };

function expectConsecutive(messages: readonly Counted[]): void {
  messages.forEach((message, index) => {
    if (index > 0) expect(message.payload.n).toBe(messages[index - 1]!.payload.n + 1);
  });
}

describe.skipIf(skip)('call: asyncapi publishes over MQTT', () => {
  test('a message from a 3.0 operation reaches a subscriber, with its headers, QoS and server variables; the password stays out of history', async () => {
    const received = new Promise<{ topic: string; payload: string; qos: number; properties: unknown }>((resolve) =>
      observer.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString(), qos: packet.qos, properties: packet.properties })),
    );
    await observer.subscribeAsync('baton/greetings', { qos: 1 });
    const handle = await start(publishing("'${ $secrets.broker }'"));
    expect(await handle.result()).toEqual({ name: 'Ada' });
    const message = await received;
    expect(message).toMatchObject({ topic: 'baton/greetings', qos: 1, properties: { userProperties: { source: 'baton' }, contentType: 'application/json' } });
    expect(JSON.parse(message.payload)).toEqual({ greeting: 'Hello, Ada' });
    expect(JSON.stringify(await handle.fetchHistory())).not.toContain(USER.password);
  });

  test('a wrong password is refused by the broker: an authentication error that does not quote it', async () => {
    const error = await failureOf(await start(publishing('wrong-password-77')));
    expect(error).toMatchObject({ type: `${ERRORS}authentication`, status: 401, title: 'Broker refused the credentials', instance });
    expect(JSON.stringify(error)).not.toContain('wrong-password-77');
  });

  test('an operation the document does not have is a configuration error naming those it has', async () => {
    const error = await failureOf(await start(publishing("'${ $secrets.broker }'", 'sendFarewell')));
    expect(error).toMatchObject({ type: `${ERRORS}configuration`, status: 404, title: 'Unknown operation', instance });
    expect(error.detail).toContain("'sendGreeting'");
  });
});

describe.skipIf(skip)('call: asyncapi consumes over MQTT', () => {
  test('amount, after a filter: the next three even numbers, with headers and correlation ids', async () => {
    const { outcome } = await consumeCounter(consuming(`          filter: \${ .payload.n % 2 == 0 }
          consume:
            amount: 3`));
    const messages = (await outcome) as Counted[];
    expect(messages).toHaveLength(3);
    messages.forEach((message, index) => {
      expect(message.payload.n % 2).toBe(0);
      expect(message).toEqual({ payload: { n: message.payload.n }, headers: { source: 'test' }, correlationId: `c-${message.payload.n}` });
      if (index > 0) expect(message.payload.n).toBe(messages[index - 1]!.payload.n + 2);
    });
  });

  test('while: consecutive numbers up to and including the first multiple of five', async () => {
    const { outcome } = await consumeCounter(consuming(`          consume:
            while: \${ .payload.n % 5 != 0 }
            for: { seconds: 30 }`));
    const messages = (await outcome) as Counted[];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.at(-1)!.payload.n % 5).toBe(0);
    expect(messages.slice(0, -1).every((message) => message.payload.n % 5 !== 0)).toBe(true);
    expectConsecutive(messages);
  });

  test('until: consecutive numbers up to, not including, the next multiple of five', async () => {
    const { outcome } = await consumeCounter(consuming(`          consume:
            until: \${ .payload.n % 5 == 0 }
            for: { seconds: 30 }`));
    const messages = (await outcome) as Counted[];
    expect(messages.every((message) => message.payload.n % 5 !== 0)).toBe(true);
    if (messages.length > 0) expect(messages.at(-1)!.payload.n % 5).toBe(4);
    expectConsecutive(messages);
  });

  test('foreach: tasks run for each kept message, whose outputs make the task output; export.as updates $context after each', async () => {
    const source = consuming(`          consume:
            amount: 3
          foreach:
            item: message
            at: position
            do:
              - note:
                  set:
                    n: \${ $message.payload.n }
                    position: \${ $position }
            output:
              as: '\${ "#\\(.position): \\(.n)" }'
            export:
              as: '\${ { seen: (($context.seen // 0) + 1) } }'`).concat(`  - summary:
      set:
        lines: \${ . }
        seen: \${ $context.seen }
`);
    const { outcome } = await consumeCounter(source);
    const { lines, seen } = (await outcome) as { lines: string[]; seen: number };
    expect(seen).toBe(3);
    expect(lines).toHaveLength(3);
    const first = Number(/^#0: (\d+)$/.exec(lines[0]!)?.[1]);
    expect(lines).toEqual([`#0: ${first}`, `#1: ${first + 1}`, `#2: ${first + 2}`]);
  });

  test('consume.for ends the subscription normally with what it kept', async () => {
    const { outcome } = await consumeCounter(consuming(`          consume:
            amount: 100000
            for: { seconds: 1 }`));
    const messages = (await outcome) as Counted[];
    expect(messages.length).toBeLessThan(100_000);
    expectConsecutive(messages);
  });

  test('the task timeout bounds the wait: a timeout error', async () => {
    const { handle } = await consumeCounter(consuming(`          consume:
            amount: 100000`, '\n      timeout: { after: { seconds: 1 } }'));
    expect(await failureOf(handle)).toMatchObject({ type: `${ERRORS}timeout`, instance });
  });
});

describe.skipIf(skip)('call: asyncapi resolves what the task names, or says why not', () => {
  // One runner's activities, so documents are parsed once.
  let asyncApiCall: ReturnType<typeof createAsyncApiActivities>['asyncApiCall'];
  const detailOf = async (request: Omit<AsyncApiCallRequest, 'taskReference'>) => {
    const error = (await asyncApiCall({ ...request, taskReference: '/do/0/x' }).then(
      () => undefined,
      (failure: unknown) => failure,
    )) as { details?: [{ status: number; title: string; detail: string }] } | undefined;
    return error?.details?.[0];
  };
  const counter = { document: 'counter.yaml', publish: { payload: { n: 0 }, headers: {} } };

  beforeAll(() => {
    if (skip) return;
    ({ asyncApiCall } = createAsyncApiActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder }));
    writeFileSync(join(folder, 'counter.yaml'), counterV2(broker.port));
    writeFileSync(join(folder, 'counter-311.yaml'), counterV2(broker.port).replace(", protocolVersion: '5'", ''));
    writeFileSync(join(folder, 'broken.yaml'), 'asyncapi: 3.0.0\ninfo: { title: Broken }\n');
  });

  test('a 2.x operation by its operationId, and a 3.x channel by its key, are found (and published to)', async () => {
    const seen = new Promise<string>((resolve) => observer.once('message', (topic) => resolve(topic)));
    await observer.subscribeAsync('baton/counter');
    expect(await detailOf({ ...counter, operation: 'readCounter' })).toBeUndefined();
    expect(await Promise.race([seen, Bun.sleep(5_000).then(() => 'nothing within 5 s')])).toBe('baton/counter');
    expect(await detailOf({ document: 'greetings.yaml', channel: 'greetings', server: { name: 'local', variables: { port: String(broker.port) } }, publish: { payload: {}, headers: {} } })).toBeUndefined();
  });

  test('unknown channel or server, a server of another protocol, no server of the protocol asked for: configuration errors', async () => {
    expect(await detailOf({ ...counter, channel: 'baton/nothing' })).toMatchObject({ status: 404, title: 'Unknown channel' });
    expect(await detailOf({ ...counter, channel: 'baton/counter', server: { name: 'nowhere', variables: {} } })).toMatchObject({ status: 404, title: 'Unknown server' });
    expect(await detailOf({ ...counter, channel: 'baton/counter', server: { name: 'other', variables: {} } })).toMatchObject({ status: 501, title: 'Protocol not supported' });
    expect(await detailOf({ ...counter, channel: 'baton/counter', protocol: 'mqtt5' })).toMatchObject({ status: 404, title: 'No server' });
  });

  test('headers over MQTT 3.1.1 are refused rather than dropped; an invalid document names its first error', async () => {
    expect(await detailOf({ ...counter, document: 'counter-311.yaml', channel: 'baton/counter', publish: { payload: {}, headers: { a: 'b' } } })).toMatchObject({ status: 400, title: 'Headers need MQTT 5' });
    const invalid = await detailOf({ ...counter, document: 'broken.yaml', channel: 'x' });
    expect(invalid).toMatchObject({ status: 400, title: 'Invalid AsyncAPI document' });
    expect(invalid?.detail).toContain('version');
  });
});

describe.skipIf(skip)('call: asyncapi is safe by default', () => {
  test('loopback brokers and document files are refused unless the operator allows them', async () => {
    const request = { document: 'file:///greetings.yaml', operation: 'sendGreeting', server: { name: 'local', variables: { port: String(broker.port) } }, publish: { payload: {}, headers: {} }, taskReference: '/do/0/x' };
    const { asyncApiCall } = createAsyncApiActivities({ documentsDir: folder });
    expect(await asyncApiCall(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
    const { asyncApiCall: noFiles } = createAsyncApiActivities({ egress: LOOPBACK_ALLOWED });
    expect(await noFiles(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Reading files is off' }] });
  });
});
