/**
 * Request problems get the right status code and a sentence (plus structured details), over real
 * gRPC; auth on and off; health and reflection answer like any standard gRPC server.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { type DescriptorProto, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { Client as GrpcClient, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Client, Connection } from '@temporalio/client';
import { DIAGNOSTICS_TRAILER } from '../../src/service/errors.ts';
import type { RequestProblem } from '../../src/service/errors.ts';
import { Deployments } from '../../src/service/deployments.ts';
import { Executions } from '../../src/service/executions.ts';
import { createEventBus } from '../../src/events/index.ts';
import { startServiceServer } from '../../src/service/server.ts';
import { createTokenSealer, generateTokenKey } from '../../src/token/seal.ts';
import { compileWorkflow } from '@baton/dsl';
import { connectRunner } from './support/grpc-client.ts';
import { startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { HELLO } from './support/workflows.ts';

setDefaultTimeout(30_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ maxYamlBytes: 1024 * 1024 }, 'service');
});
afterAll(async () => {
  await stack?.stop();
});

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeDefined();
  return error as ServiceError;
}

function diagnostics(error: ServiceError): RequestProblem[] {
  const raw = error.metadata?.get(DIAGNOSTICS_TRAILER)[0];
  return raw === undefined ? [] : (JSON.parse(String(raw)) as RequestProblem[]);
}

/** Sends hand-made bytes as an executeAsync request, as a buggy or hostile client could. */
function sendRaw(address: string, bytes: Uint8Array): Promise<ServiceError> {
  const client = connectRunner(address).raw as unknown as GrpcClient;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/ai.stigmer.agentic.workflowrunner.v1.WorkflowRunnerServiceController/executeAsync',
      (value: Uint8Array) => Buffer.from(value),
      (value: Buffer) => value,
      bytes,
      (err) => {
        client.close();
        resolve(err as ServiceError);
      },
    );
  });
}

describe('malformed requests', () => {
  test('a missing id is INVALID_ARGUMENT naming the field', async () => {
    const error = await rejection(stack.client.executeAsync({ workflowYaml: HELLO }));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain('workflow_execution_id');
    expect(diagnostics(error)).toEqual([{ field: 'workflow_execution_id', code: 'ID_MISSING', message: 'is required' }]);
  });

  test('ids with odd characters or too long are refused', async () => {
    for (const id of ['has space', '../etc', 'x'.repeat(300), 'tab\there']) {
      const error = await rejection(stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: HELLO }));
      expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(['ID_INVALID', 'ID_TOO_LONG']).toContain(diagnostics(error)[0]?.code ?? '');
    }
  });

  test('every YAML problem comes back, with line, column and code, as text and as structured details', async () => {
    const yaml = `document: { dsl: '1.0.0', namespace: test, name: bad, version: '1.0.0' }
do:
  - first:
      set: 42
  - second:
      wait: soon
`;
    const error = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('bad'), workflowYaml: yaml }));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    const problems = diagnostics(error);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const problem of problems) {
      expect(problem.field).toBe('workflow_yaml');
      expect(problem.code).toMatch(/^SW\d{3}$/);
      expect(problem.line).toBeGreaterThan(0);
      expect(error.details).toContain(`workflow_yaml:${problem.line}:${problem.column}: [${problem.code}]`);
    }
    expect(problems.map((p) => p.line)).toEqual(expect.arrayContaining([4, 6]));
    // The standard google.rpc.Status carries a google.rpc.BadRequest with one violation per problem.
    const statusBytes = error.metadata?.get('grpc-status-details-bin')[0] as Buffer;
    const status = googleRpcStatus().decode(statusBytes);
    expect(status.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status.details[0]?.type_url).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(Buffer.from(status.details[0]?.value ?? []).toString()).toContain(problems[0]?.code ?? '?');
  });

  test('an empty document is INVALID_ARGUMENT', async () => {
    const error = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('empty'), workflowYaml: '  \n' }));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(diagnostics(error)[0]?.code).toBe('YAML_MISSING');
  });

  test('a 2 MB document is RESOURCE_EXHAUSTED with the limit named; a 5 MB request too', async () => {
    const big = `${HELLO}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const error = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('big'), workflowYaml: big }));
    expect(error.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(error.details).toContain('--max-yaml-bytes');

    const huge = `${HELLO}\n# ${'x'.repeat(5 * 1024 * 1024)}\n`;
    const hugeError = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('huge'), workflowYaml: huge }));
    expect(hugeError.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  test('invalid UTF-8 in a string field is INVALID_ARGUMENT, not INTERNAL', async () => {
    const id = new TextEncoder().encode('utf8-test');
    const bytes = Uint8Array.from([0x0a, id.length, ...id, 0x12, 0x03, 0x61, 0xff, 0xfe]);
    const error = await sendRaw(stack.runner.grpcAddress, bytes);
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.details).toContain('workflow_yaml is not valid UTF-8');
  });

  test('a field of the wrong type, or a truncated message, is INVALID_ARGUMENT', async () => {
    const wrongType = await sendRaw(stack.runner.grpcAddress, Uint8Array.from([0x08, 0x01]));
    expect(wrongType.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(wrongType.details).toContain('workflow_execution_id has the wrong type');

    const truncated = await sendRaw(stack.runner.grpcAddress, Uint8Array.from([0x0a, 0x20, 0x61]));
    expect(truncated.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(truncated.details).toContain('truncated');
  });

  test('a bad callback namespace or an oversized token is INVALID_ARGUMENT', async () => {
    const error = await rejection(
      stack.client.executeAsync({
        workflowExecutionId: uniqueName('ns'),
        workflowYaml: HELLO,
        callbackNamespace: 'no spaces allowed',
        callbackToken: new Uint8Array(20_000),
      }),
    );
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(diagnostics(error).map((p) => p.code).sort()).toEqual(['NAMESPACE_INVALID', 'TOKEN_TOO_LONG']);
  });

  test('unknown executions are NOT_FOUND for every rpc that names one', async () => {
    const id = uniqueName('ghost');
    // One call at a time: a rejection nobody awaits yet would surface as an unhandled error.
    for (const call of [
      () => stack.client.getExecution(id),
      () => stack.client.cancelExecution({ executionId: id }),
      () => stack.client.pauseExecution({ executionId: id }),
      () => stack.client.resumeExecution({ executionId: id }),
      () => stack.client.watch(id),
    ]) {
      expect((await rejection(call())).code).toBe(GrpcStatus.NOT_FOUND);
    }
  });
});

describe('auth', () => {
  let secured: Stack;
  beforeAll(async () => {
    secured = await startStack({ authToken: 's3cret-token' }, 'service');
  });
  afterAll(async () => {
    await secured?.stop();
  });

  test('without, or with a wrong, bearer token every rpc is UNAUTHENTICATED', async () => {
    const anonymous = connectRunner(secured.runner.grpcAddress);
    const wrong = connectRunner(secured.runner.grpcAddress, 'guess');
    try {
      for (const client of [anonymous, wrong]) {
        expect((await rejection(client.getExecution('x'))).code).toBe(GrpcStatus.UNAUTHENTICATED);
        expect((await rejection(client.executeAsync({ workflowExecutionId: 'x', workflowYaml: HELLO }))).code).toBe(GrpcStatus.UNAUTHENTICATED);
        expect((await rejection(client.watch('x'))).code).toBe(GrpcStatus.UNAUTHENTICATED);
      }
    } finally {
      anonymous.close();
      wrong.close();
    }
  });

  test('with the right token calls go through; health stays open for load balancers', async () => {
    expect((await rejection(secured.client.getExecution(uniqueName('ghost')))).code).toBe(GrpcStatus.NOT_FOUND);
    expect(await healthOf(secured.runner.grpcAddress)).toBe('SERVING');
  });

  test('over TLS with a bearer token: a TLS client with the token gets through, a plaintext one does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    await Bun.$`openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout ${key} -out ${cert}`.quiet();
    const tls = await startStack({ tls: { certChain: readFileSync(cert), privateKey: readFileSync(key) }, authToken: 'tls-token' }, 'service');
    // By name: Bun's TLS refuses an IP address as the server name.
    const byName = tls.runner.grpcAddress.replace('127.0.0.1', 'localhost');
    const trusted = connectRunner(byName, 'tls-token', credentials.createSsl(readFileSync(cert)));
    const plaintext = connectRunner(tls.runner.grpcAddress, 'tls-token');
    try {
      expect((await rejection(trusted.getExecution(uniqueName('ghost')))).code).toBe(GrpcStatus.NOT_FOUND);
      expect((await rejection(plaintext.getExecution(uniqueName('ghost')))).code).toBe(GrpcStatus.UNAVAILABLE);
    } finally {
      trusted.close();
      plaintext.close();
      await tls.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with auth off, no token is needed', async () => {
    expect((await rejection(stack.client.getExecution(uniqueName('ghost')))).code).toBe(GrpcStatus.NOT_FOUND);
  });
});

describe('standard gRPC services', () => {
  test('health reports SERVING for the server and the runner service', async () => {
    expect(await healthOf(stack.runner.grpcAddress)).toBe('SERVING');
    expect(await healthOf(stack.runner.grpcAddress, 'ai.stigmer.agentic.workflowrunner.v1.WorkflowRunnerServiceController')).toBe('SERVING');
  });

  test('reflection lists the runner service and describes its file', async () => {
    const services = await reflect(stack.runner.grpcAddress, { list_services: '' });
    const names = (services.list_services_response as { service: { name: string }[] }).service.map((s) => s.name);
    expect(names).toContain('ai.stigmer.agentic.workflowrunner.v1.WorkflowRunnerServiceController');
    expect(names).toContain('grpc.health.v1.Health');
    const file = await reflect(stack.runner.grpcAddress, {
      file_containing_symbol: 'ai.stigmer.agentic.workflowrunner.v1.WorkflowRunnerServiceController',
    });
    const files = (file.file_descriptor_response as { file_descriptor_proto: Buffer[] }).file_descriptor_proto.map((bytes) =>
      fromBinary(FileDescriptorProtoSchema, bytes),
    );
    // grpcurl resolves every referenced type from what reflection returned: the well-known types
    // (Timestamp, Struct, Empty) must come along, or it fails with "cannot resolve type".
    const defined = new Set<string>();
    const collect = (prefix: string, messages: DescriptorProto[]) => {
      for (const message of messages) {
        defined.add(`.${prefix}${message.name}`);
        for (const nestedEnum of message.enumType) defined.add(`.${prefix}${message.name}.${nestedEnum.name}`);
        collect(`${prefix}${message.name}.`, message.nestedType);
      }
    };
    for (const descriptor of files) {
      collect(descriptor.package ? `${descriptor.package}.` : '', descriptor.messageType);
      for (const topEnum of descriptor.enumType) defined.add(`.${descriptor.package}.${topEnum.name}`);
    }
    const referenced = files.flatMap((descriptor) => [
      ...descriptor.messageType.flatMap((message) => message.field.map((field) => field.typeName).filter(Boolean)),
      ...descriptor.service.flatMap((service) => service.method.flatMap((method) => [method.inputType, method.outputType])),
    ]);
    expect(referenced).toContain('.google.protobuf.Timestamp');
    expect(referenced.filter((name) => !defined.has(name))).toEqual([]);

    const health = await reflect(stack.runner.grpcAddress, { file_containing_symbol: 'grpc.health.v1.Health' });
    const healthFiles = (health.file_descriptor_response as { file_descriptor_proto: Buffer[] }).file_descriptor_proto;
    expect(healthFiles.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name)).toContain('health/v1/health.proto');
  });
});

test('Temporal down: UNAVAILABLE with a sentence, not a hang or INTERNAL', async () => {
  const connection = await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  const sealer = createTokenSealer(generateTokenKey());
  const client = new Client({ connection, namespace: 'default' });
  const executions = new Executions({
    client,
    taskQueue: 'nowhere',
    sealer,
    callbackNamespace: '',
    heartbeatIntervalMs: 1_000,
    temporalTimeoutMs: 1_500,
  });
  const server = await startServiceServer({
    address: '127.0.0.1:0',
    maxMessageBytes: 4 * 1024 * 1024,
    maxYamlBytes: 1024 * 1024,
    admission: { maxConcurrent: 4, maxQueued: 4 },
    compile: compileWorkflow,
    executions,
    deployments: new Deployments({ client, taskQueue: 'nowhere', compile: compileWorkflow, temporalTimeoutMs: 1_500 }),
    events: { bus: createEventBus(client, 'nowhere', 1024 * 1024), maxEventBytes: 1024 },
  });
  const runner = connectRunner(server.address);
  try {
    const error = await rejection(runner.executeAsync({ workflowExecutionId: uniqueName('down'), workflowYaml: HELLO }));
    expect(error.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(error.details).toContain('Temporal is unreachable');
    expect((await rejection(runner.getExecution('x'))).code).toBe(GrpcStatus.UNAVAILABLE);
  } finally {
    runner.close();
    await server.stop();
    await connection.close();
  }
});

const require = createRequire(import.meta.url);

function googleRpcStatus(): { decode(bytes: Uint8Array): { code: number; details: { type_url: string; value: Uint8Array }[] } } {
  // Under Bun, the namespace import of @temporalio/proto misbehaves; require() works (DESIGN 6).
  const proto = require('@temporalio/proto') as { google: { rpc: { Status: { decode(b: Uint8Array): unknown } } } };
  return {
    decode: (bytes) => {
      return proto.google.rpc.Status.decode(bytes) as { code: number; details: { type_url: string; value: Uint8Array }[] };
    },
  };
}

function healthOf(address: string, service = ''): Promise<string> {
  const definition = loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { enums: String });
  const Health = (loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: new (a: string, c: unknown) => GrpcClient } } } })
    .grpc.health.v1.Health;
  const client = new Health(address, credentials.createInsecure()) as GrpcClient & {
    check(req: { service: string }, cb: (err: ServiceError | null, res: { status: string }) => void): void;
  };
  return new Promise((resolve, reject) =>
    client.check({ service }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res.status);
    }),
  );
}

function reflect(address: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const definition = loadSync(require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto'), { keepCase: true });
  const Reflection = (
    loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => GrpcClient } } };
    }
  ).grpc.reflection.v1.ServerReflection;
  const client = new Reflection(address, credentials.createInsecure()) as GrpcClient & {
    ServerReflectionInfo(md: Metadata): NodeJS.ReadWriteStream & { write(m: unknown): void; end(): void };
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo(new Metadata());
    stream.on('data', (message: Record<string, unknown>) => {
      resolve(message);
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write(request);
  });
}
