/**
 * `call: grpc` end to end on the real dev server: a gRPC service started here from a `.proto`
 * (@grpc/grpc-js + proto-loader), the proto read from the documents folder and over HTTP, and
 * gRPC statuses mapped to SW errors that keep the status.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPackageDefinition, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { GrpcObject, ServiceClientConstructor, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createGrpcActivities } from '../../src/activities/grpc.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const PROTO = `
syntax = "proto3";
package greeter;

service Greeter {
  rpc SayHello (HelloRequest) returns (HelloReply);
  rpc Fail (FailRequest) returns (HelloReply);
  rpc Chat (stream HelloRequest) returns (stream HelloReply);
  rpc Hang (FailRequest) returns (HelloReply);
  rpc Slow (FailRequest) returns (HelloReply);
  rpc Guarded (HelloRequest) returns (HelloReply);
}

message HelloRequest {
  string name = 1;
  repeated string tags = 2;
  int64 visits = 3;
}

message HelloReply {
  string message = 1;
  int64 visits = 2;
  Mood mood = 3;
}

message FailRequest { int32 code = 1; }

enum Mood { CALM = 0; GLAD = 1; }
`;

const TOKEN = 'grpc-sesame-42';
let folder: string;
let server: Server;
let port: number;
let http: ReturnType<typeof Bun.serve>;
let harness: Harness;
/** Resolved when the server sees a Hang call cancelled by its client. */
let hangCancelled: Promise<void>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'baton-grpc-'));
  writeFileSync(join(folder, 'greeter.proto'), PROTO);
  writeFileSync(join(folder, 'broken.proto'), 'syntax = "proto3";\nservice {');
  const definition = loadPackageDefinition(loadSync(join(folder, 'greeter.proto'), { keepCase: true, longs: String, enums: String, defaults: true }));
  const Greeter = (definition.greeter as GrpcObject).Greeter as ServiceClientConstructor;
  server = new Server();
  server.addService(Greeter.service, {
    SayHello(call: ServerUnaryCall<{ name: string; tags: string[]; visits: string }, unknown>, callback: sendUnaryData<unknown>) {
      const { name, tags, visits } = call.request;
      callback(null, { message: `Hello, ${name}${tags.length ? ` (${tags.join(', ')})` : ''}`, visits: String(BigInt(visits) + 1n), mood: 'GLAD' });
    },
    Fail(call: ServerUnaryCall<{ code: number }, unknown>, callback: sendUnaryData<unknown>) {
      callback({ code: call.request.code, details: `failing with ${call.request.code}` });
    },
    Chat() {},
    Guarded(call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      const sent = String(call.metadata.get('authorization')[0] ?? '');
      // Echoes what it was sent, as careless servers do: the activity must cut the credential out.
      if (sent === `Bearer ${TOKEN}`) callback(null, { message: sent });
      else callback({ code: status.UNAUTHENTICATED, details: `refused ${sent}` });
    },
    // Answers after `code` milliseconds.
    Slow(call: ServerUnaryCall<{ code: number }, unknown>, callback: sendUnaryData<unknown>) {
      setTimeout(() => callback(null, { message: 'slept' }), call.request.code);
    },
    Hang(call: ServerUnaryCall<unknown, unknown>) {
      hangCancelled = new Promise((resolve) => call.on('cancelled', () => resolve()));
    },
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  http = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => (new URL(request.url).pathname === '/greeter.proto' ? new Response(PROTO) : new Response('no', { status: 404 })) });
  harness = await startHarness('grpc', { ...createGrpcActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder, secrets: { file: { token: TOKEN }, env: {} } }) });
});

afterAll(async () => {
  await harness?.stop();
  server?.forceShutdown();
  http?.stop(true);
  rmSync(folder, { recursive: true, force: true });
});

function workflow(options: { proto?: string; service?: string; method?: string; port?: number; args?: string }): string {
  return `
document:
  dsl: 1.0.3
  namespace: test
  name: grpc
  version: 1.0.0
  metadata:
    activityOptions:
      retryPolicy: {maximumAttempts: 1}
do:
  - greet:
      call: grpc
      with:
        proto:
          endpoint: ${options.proto ?? 'file:///greeter.proto'}
        service:
          name: ${options.service ?? 'greeter.Greeter'}
          host: 127.0.0.1
          port: ${options.port ?? port}
        method: ${options.method ?? 'SayHello'}
        arguments: ${options.args ?? "{name: '${ .name }', tags: [a, b], visits: '9007199254740993'}"}
`;
}

const start = (source: string, input: unknown = { name: 'Ada' }) => harness.start(compileYaml(source, 'grpc.yaml'), input);
const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const instance = '/do/0/greet';

describe('call: grpc', () => {
  test('calls a unary method with a proto from the documents folder; 64-bit integers and enums stay exact', async () => {
    expect(await (await start(workflow({}))).result()).toEqual({ message: 'Hello, Ada (a, b)', visits: '9007199254740994', mood: 'GLAD' });
  });

  test('reads the proto over HTTP, and the service name may be unqualified', async () => {
    const output = await (await start(workflow({ proto: `http://127.0.0.1:${http.port}/greeter.proto`, service: 'Greeter', args: '{name: Bo}' }))).result();
    expect(output).toMatchObject({ message: 'Hello, Bo' });
  });
});

describe('call: grpc failures are coded SW errors keeping the gRPC status', () => {
  const failing = (code: number) => workflow({ method: 'Fail', args: `{code: ${code}}` });

  test.each([
    [status.UNAUTHENTICATED, 'authentication', 'UNAUTHENTICATED'],
    [status.PERMISSION_DENIED, 'authorization', 'PERMISSION_DENIED'],
    [status.NOT_FOUND, 'communication', 'NOT_FOUND'],
    [status.INVALID_ARGUMENT, 'validation', 'INVALID_ARGUMENT'],
  ])('status %d → %s', async (code, kind, title) => {
    expect(await failureOf(await start(failing(code)))).toMatchObject({ type: `${ERRORS}${kind}`, status: code, title, instance });
  });

  test('unreachable service: UNAVAILABLE', async () => {
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
    const free = closed.port;
    closed.stop(true);
    expect(await failureOf(await start(workflow({ port: free })))).toMatchObject({ type: `${ERRORS}communication`, status: status.UNAVAILABLE, title: 'UNAVAILABLE', instance });
  });

  test('wrong proto: unknown service, unknown method, streaming method, unparseable file, missing file', async () => {
    const configuration = { type: `${ERRORS}configuration`, instance };
    expect(await failureOf(await start(workflow({ service: 'Welcomer' })))).toMatchObject({ ...configuration, status: 404, title: 'Unknown service' });
    expect(await failureOf(await start(workflow({ method: 'SayBye' })))).toMatchObject({ ...configuration, status: 404, title: 'Unknown method' });
    expect(await failureOf(await start(workflow({ method: 'Chat' })))).toMatchObject({ ...configuration, status: 400, title: 'Streaming method' });
    expect(await failureOf(await start(workflow({ proto: 'file:///broken.proto' })))).toMatchObject({ ...configuration, status: 400, title: 'Invalid proto' });
    expect(await failureOf(await start(workflow({ proto: 'file:///absent.proto' })))).toMatchObject({ ...configuration, status: 404 });
  });
});

describe('call: grpc authenticates', () => {
  const guarded = (token: string) =>
    workflow({ method: 'Guarded', args: '{name: x}' })
      .replace('do:\n', 'use:\n  secrets: [token]\ndo:\n')
      .replace('          port:', `          authentication:\n            bearer:\n              token: ${token}\n          port:`);

  test('a bearer token from $secrets is sent as metadata, and cut out of what the server echoes', async () => {
    const handle = await start(guarded("'${ $secrets.token }'"));
    expect(await handle.result()).toMatchObject({ message: 'Bearer ***' });
    expect(JSON.stringify(await handle.fetchHistory())).not.toContain(TOKEN);
  });

  test('a refused credential is an authentication error without the credential', async () => {
    const error = await failureOf(await start(guarded('wrong-token-77')));
    expect(error).toMatchObject({ type: `${ERRORS}authentication`, status: status.UNAUTHENTICATED, instance });
    expect(error.detail).not.toContain('wrong-token-77');
  });
});

describe('call: grpc under the call policy', () => {
  test('a task timeout cancels the call on the server and raises the timeout error', async () => {
    const source = workflow({ method: 'Hang', args: '{code: 0}' }).replace('      call: grpc', '      timeout: {after: {seconds: 1}}\n      call: grpc');
    expect(await failureOf(await start(source))).toMatchObject({ type: `${ERRORS}timeout`, instance });
    await hangCancelled;
  });
});

describe("call: grpc in Zigflow's dialect", () => {
  /** A 2.5 s call under a 1 s heartbeat timeout: it lives only if the activity heartbeats more often than its 1 s default. */
  const slow = (heartbeat: string) =>
    workflow({ method: 'Slow', args: '{code: 2500}' })
      .replace('  namespace: test\n  name: grpc', '  taskQueue: test\n  workflowType: grpc')
      .replace('      retryPolicy: {maximumAttempts: 1}', '      heartbeatTimeout: 1s\n      retryPolicy: {maximumAttempts: 1}')
      .replace('      call: grpc', `${heartbeat}      call: grpc`);

  test('metadata.heartbeat makes the gRPC activity heartbeat at that interval', async () => {
    expect(await (await start(slow('      metadata:\n        heartbeat: 200ms\n'))).result()).toEqual({ message: 'slept', visits: '0', mood: 'CALM' });
  });

  test('without it the same call misses the heartbeat timeout', async () => {
    expect((await failureOf(await start(slow('')))).type).toContain('timeout');
  });
});

describe('call: grpc is safe by default', () => {
  test('loopback hosts and proto files are refused unless the operator allows them', async () => {
    const { grpcCall } = createGrpcActivities({ documentsDir: folder });
    const request = { proto: 'file:///greeter.proto', service: 'greeter.Greeter', method: 'SayHello', host: '127.0.0.1', port, arguments: {}, taskReference: '/do/0/x' };
    expect(await grpcCall(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
    expect(await grpcCall({ ...request, host: 'localhost' }).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
    const { grpcCall: noFiles } = createGrpcActivities({ egress: LOOPBACK_ALLOWED });
    expect(await noFiles(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Reading files is off' }] });
  });

  test('imports that would leave the proto folder are refused', async () => {
    writeFileSync(join(folder, 'sneaky.proto'), 'syntax = "proto3";\nimport "../../etc/secret.proto";\n');
    const { grpcCall } = createGrpcActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder });
    const request = { proto: 'file:///sneaky.proto', service: 'x', method: 'y', host: '127.0.0.1', port, arguments: {}, taskReference: '/do/0/x' };
    expect(await grpcCall(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 400, title: 'Invalid proto' }] });
  });
});
