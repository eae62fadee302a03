/**
 * The egress policy: address classes, and the HTTP activity refusing what the policy refuses —
 * schemes other than http(s), link-local/metadata, private and (unless allowed) loopback
 * addresses, redirects to them, and host names resolving to them (rebinding) — checked on the
 * address connected to. Real loopback servers; a test resolver plays DNS.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { compileWorkflow } from '@baton/dsl';
import { createHttpActivities } from '../../src/activities/http.ts';
import type { HttpCallRequest } from '../../src/contract/index.ts';
import { classifyAddress, PUBLIC_ONLY } from '../../src/egress/index.ts';
import type { EgressPolicy, Resolver } from '../../src/egress/index.ts';
import { DIAGNOSTICS_TRAILER } from '../../src/service/errors.ts';
import type { RequestProblem } from '../../src/service/errors.ts';
import { LOOPBACK_ALLOWED } from '../interpreter/harness.ts';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

const EVERYTHING_ALLOWED: EgressPolicy = { allow: new Set(['loopback', 'private']) };
const COMMUNICATION = 'https://serverlessworkflow.io/spec/1.0.0/errors/communication';

let server: ReturnType<typeof Bun.serve>;
const hits: string[] = [];

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      const url = new URL(request.url);
      hits.push(`${request.headers.get('host')}${url.pathname}`);
      if (url.pathname === '/to-metadata') return Response.redirect('http://169.254.169.254/latest/meta-data/', 302);
      if (url.pathname === '/to-private') return Response.redirect('http://10.1.2.3/admin', 307);
      if (url.pathname === '/to-self') return Response.redirect(`${url.origin}/landed`, 302);
      if (url.pathname === '/loop') return Response.redirect(`${url.origin}/loop`, 302);
      return Response.json({ host: request.headers.get('host'), path: url.pathname });
    },
  });
});
afterAll(() => server?.stop(true));

const call = (uri: string, overrides: Partial<HttpCallRequest> = {}): HttpCallRequest => ({
  method: 'get',
  uri,
  headers: {},
  query: {},
  output: 'content',
  redirect: false,
  taskReference: '/do/0/call',
  ...overrides,
});

async function refusal(policy: EgressPolicy, request: HttpCallRequest, resolver?: Resolver): Promise<ApplicationFailure> {
  const { httpCall } = createHttpActivities({ egress: policy, ...(resolver ? { resolver } : {}) });
  const error = await httpCall(request).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.type).toBe(COMMUNICATION);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.details?.[0]).toMatchObject({ type: COMMUNICATION, status: 403, title: 'Refused by the egress policy', instance: '/do/0/call' });
  return failure;
}

describe('address classes', () => {
  test.each([
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::1', 'loopback'],
    ['::', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a9fe:a9fe]', 'metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind as ReturnType<typeof classifyAddress>);
  });
});

describe('the HTTP activity under the policy', () => {
  test('file:// is refused, whatever the operator allows', async () => {
    const failure = await refusal(EVERYTHING_ALLOWED, call('file:///proc/self/environ'));
    expect(failure.message).toContain("the scheme 'file' is refused by the egress policy");
  });

  test('the metadata address 169.254.169.254 is always refused', async () => {
    const failure = await refusal(EVERYTHING_ALLOWED, call('http://169.254.169.254/latest/meta-data/'));
    expect(failure.message).toContain('169.254.169.254 is a cloud metadata address, always refused');
    expect((await refusal(EVERYTHING_ALLOWED, call('http://[fe80::1]/'))).message).toContain('link-local');
  });

  test('private ranges are refused unless allowed', async () => {
    const failure = await refusal(LOOPBACK_ALLOWED, call('http://10.0.0.7/'));
    expect(failure.message).toContain('10.0.0.7 is a private address, refused by the egress policy (allow it with --egress-allow private)');
    await refusal(PUBLIC_ONLY, call('http://192.168.0.1/'));
  });

  test('loopback is refused unless allowed, in every spelling, and the server is never reached', async () => {
    hits.length = 0;
    const port = server.port;
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '0.0.0.0', 'localhost']) {
      const failure = await refusal(PUBLIC_ONLY, call(`http://${host}:${port}/secret`));
      expect(failure.message).toContain('loopback address, refused by the egress policy');
    }
    expect(hits).toEqual([]);
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED });
    expect(await httpCall(call(`http://127.0.0.1:${port}/open`))).toMatchObject({ path: '/open' });
  });

  test('a redirect to a refused address is refused at that hop', async () => {
    const failure = await refusal(LOOPBACK_ALLOWED, call(`http://127.0.0.1:${server.port}/to-metadata`, { redirect: true }));
    expect(failure.message).toContain('169.254.169.254 is a cloud metadata address');
    await refusal(LOOPBACK_ALLOWED, call(`http://127.0.0.1:${server.port}/to-private`, { redirect: true }));
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED });
    expect(await httpCall(call(`http://127.0.0.1:${server.port}/to-self`, { redirect: true }))).toMatchObject({ path: '/landed' });
    const loop = await httpCall(call(`http://127.0.0.1:${server.port}/loop`, { redirect: true })).catch((thrown: unknown) => thrown);
    expect(loop).toMatchObject({ type: COMMUNICATION, nonRetryable: true, message: expect.stringContaining('more than 20 redirects') });
  });

  test('a name resolving to a refused address is refused, even when another of its addresses is public (rebinding)', async () => {
    hits.length = 0;
    // A name with one public and one loopback record: the connection could pick either.
    const mixed: Resolver = async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    const failure = await refusal(PUBLIC_ONLY, call(`http://rebind.test:${server.port}/x`), mixed);
    expect(failure.message).toContain('rebind.test resolves to 127.0.0.1 is a loopback address');
    // A name rebound to loopback: the check runs in the lookup the connection itself uses.
    const rebound: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    await refusal(PUBLIC_ONLY, call(`http://rebind.test:${server.port}/x`), rebound);
    expect(hits).toEqual([]);
  });

  test('a checked name is connected to at the checked address, with its own Host header', async () => {
    const resolver: Resolver = async (hostname) => (hostname === 'service.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, resolver });
    expect(await httpCall(call(`http://service.test:${server.port}/named`))).toEqual({ host: `service.test:${server.port}`, path: '/named' });
  });
});

describe('refused before the execution starts', () => {
  const document = (endpoint: string) => `document: { dsl: '1.0.0', namespace: test, name: egress, version: '1.0.0' }
do:
  - fetch:
      call: http
      with:
        method: get
        endpoint: ${endpoint}
`;

  test('validate refuses file:// and literal link-local endpoints (SW307, positioned)', () => {
    for (const endpoint of ['file:///proc/self/environ', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/']) {
      const compiled = compileWorkflow(document(endpoint));
      expect(compiled.ok).toBe(false);
      if (compiled.ok) continue;
      expect(compiled.diagnostics[0]).toMatchObject({ code: 'SW307', line: 7 });
    }
    expect(compileWorkflow(document('http://{host}/x')).ok).toBe(true);
  });

  describe('executeAsync', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({}, 'service');
    });
    afterAll(async () => stack?.stop());

    test("an endpoint this runner's policy refuses is INVALID_ARGUMENT naming the task", async () => {
      const error = (await stack.client
        .executeAsync({ workflowExecutionId: uniqueName('egress'), workflowYaml: document('http://127.0.0.1:8080/admin') })
        .catch((thrown: unknown) => thrown)) as ServiceError;
      expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.details).toContain('127.0.0.1 is a loopback address, refused by the egress policy');
      const problems = JSON.parse(String(error.metadata?.get(DIAGNOSTICS_TRAILER)[0])) as RequestProblem[];
      expect(problems).toEqual([expect.objectContaining({ code: 'EGRESS_REFUSED', taskPath: '/do/0/fetch', pointer: '/do/0/fetch/call' })]);
    });
  });
});
