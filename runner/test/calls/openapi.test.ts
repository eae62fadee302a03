/**
 * `call: openapi` end to end on the real dev server: a pet service started here serves its own
 * OpenAPI 3.0 document (YAML, with `$ref`s) over HTTP; a Swagger 2.0 document (JSON) for the same
 * service is read from the runner's documents folder. Each failure is a coded SW error carrying
 * the task's reference.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenApiActivities } from '../../src/activities/openapi.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const OPENAPI_3 = `
openapi: 3.0.3
info: {title: pets, version: '1'}
servers:
  - url: /api
paths:
  /pets/{petId}:
    parameters:
      - $ref: '#/components/parameters/petId'
    get:
      operationId: getPet
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: x-trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses: {'200': {description: ok}}
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses: {'201': {description: created}}
  /secret:
    get:
      operationId: getSecret
      responses: {'200': {description: ok}}
  /guarded:
    get:
      operationId: getGuarded
      responses: {'200': {description: ok}}
  /slow:
    get:
      operationId: slow
      responses: {'200': {description: ok}}
  /moved:
    get:
      operationId: moved
      responses: {'302': {description: moved}}
components:
  parameters:
    petId: {name: petId, in: path, required: true, schema: {type: string}}
  schemas:
    Pet:
      type: object
      properties: {name: {type: string}}
`;

const SWAGGER_2 = (host: string) =>
  JSON.stringify({
    swagger: '2.0',
    info: { title: 'pets', version: '1' },
    host,
    basePath: '/api',
    schemes: ['http'],
    paths: {
      '/pets': {
        post: {
          operationId: addPet,
          consumes: ['application/json'],
          parameters: [{ name: 'pet', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } }],
          responses: { 201: { description: 'created' } },
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'getPet',
          parameters: [
            { name: 'petId', in: 'path', required: true, type: 'string' },
            { name: 'verbose', in: 'query', type: 'boolean' },
          ],
          responses: { 200: { description: 'ok' } },
        },
      },
    },
    definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
  });
const addPet = 'addPet';
const TOKEN = 'open-sesame-42';

let api: ReturnType<typeof Bun.serve>;
let base: string;
let folder: string;
let harness: Harness;

beforeAll(async () => {
  api = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === '/openapi.yaml') return new Response(OPENAPI_3, { headers: { 'content-type': 'application/yaml' } });
      if (url.pathname === '/broken.yaml') return new Response('openapi: 3.0.0\npaths: [unclosed', { headers: { 'content-type': 'application/yaml' } });
      if (url.pathname === '/api/secret') return new Response('who are you?', { status: 401 });
      if (url.pathname === '/api/guarded') {
        const sent = request.headers.get('authorization');
        // Echoes what it was sent, as careless servers do: the activity must cut the token out.
        return sent === `Bearer ${TOKEN}` ? Response.json({ sent }) : new Response(`refused ${sent}`, { status: 401 });
      }
      if (url.pathname === '/api/slow') return new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({ slept: true })), 2_500));
      if (url.pathname === '/api/moved') return new Response(null, { status: 302, headers: { location: '/api/pets/1' } });
      const pet = /^\/api\/pets\/([^/]+)$/.exec(url.pathname);
      if (pet && request.method === 'GET') {
        return Response.json({
          id: decodeURIComponent(pet[1]!),
          verbose: url.searchParams.get('verbose'),
          trace: request.headers.get('x-trace'),
          cookie: request.headers.get('cookie'),
        });
      }
      if (url.pathname === '/api/pets' && request.method === 'POST') {
        return Response.json({ created: await request.json(), type: request.headers.get('content-type') }, { status: 201 });
      }
      return new Response('not here', { status: 404 });
    },
  });
  base = `http://127.0.0.1:${api.port}`;
  folder = mkdtempSync(join(tmpdir(), 'baton-openapi-'));
  writeFileSync(join(folder, 'swagger.json'), SWAGGER_2(`127.0.0.1:${api.port}`));
  const secrets = { file: { token: TOKEN }, env: {} };
  harness = await startHarness('openapi', { ...createOpenApiActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder, secrets }) });
});

afterAll(async () => {
  await harness?.stop();
  api?.stop(true);
  rmSync(folder, { recursive: true, force: true });
});

/** One task calling `operationId` of `document`; a single attempt, so failures answer at once. */
function workflow(document: string, operationId: string, extra = ''): string {
  return `
document:
  dsl: 1.0.3
  namespace: test
  name: openapi
  version: 1.0.0
  metadata:
    activityOptions:
      retryPolicy: {maximumAttempts: 1}
do:
  - callIt:
      call: openapi
      with:
        document:
          endpoint: ${document}
        operationId: ${operationId}
${extra}`;
}

async function run(source: string, input: unknown = {}): Promise<unknown> {
  const handle = await harness.start(compileYaml(source, 'openapi.yaml'), input);
  return handle.result();
}

async function fails(source: string) {
  return failureOf(await harness.start(compileYaml(source, 'openapi.yaml'), {}));
}

describe('call: openapi, OpenAPI 3.0 over HTTP', () => {
  test('places path, query, header and cookie parameters as the operation declares them', async () => {
    const output = await run(
      workflow(`${base}/openapi.yaml`, 'getPet', `        parameters:
          petId: \${ .id }
          verbose: true
          x-trace: abc
          session: s 1`),
      { id: 'a/b' },
    );
    expect(output).toEqual({ id: 'a/b', verbose: 'true', trace: 'abc', cookie: 'session=s%201' });
  });

  test('sends the request body from the `body` parameter and returns the response on output: response', async () => {
    const output = (await run(workflow(`${base}/openapi.yaml`, 'addPet', `        parameters:
          body: {name: Rex}
        output: response`))) as { statusCode: number; content: unknown; request: { uri: string } };
    expect(output.statusCode).toBe(201);
    expect(output.content).toEqual({ created: { name: 'Rex' }, type: 'application/json' });
    expect(output.request.uri).toBe(`${base}/api/pets`);
  });

  test('follows redirects only when asked', async () => {
    const followed = await run(workflow(`${base}/openapi.yaml`, 'moved', '        redirect: true'));
    expect(followed).toMatchObject({ id: '1' });
    const kept = (await run(workflow(`${base}/openapi.yaml`, 'moved', '        output: response'))) as { statusCode: number };
    expect(kept.statusCode).toBe(302);
  });
});

describe('call: openapi, Swagger 2.0 from the documents folder', () => {
  test('reads the file and sends the body parameter', async () => {
    const output = await run(workflow('file:///swagger.json', 'addPet', `        parameters:
          pet: {name: Tom}`));
    expect(output).toEqual({ created: { name: 'Tom' }, type: 'application/json' });
  });

  test('uses schemes, host and basePath', async () => {
    expect(await run(workflow('file:///swagger.json', 'getPet', '        parameters: {petId: 7}'))).toMatchObject({ id: '7' });
  });
});

describe('call: openapi authenticates', () => {
  const guarded = (token: string) => `
document: {dsl: 1.0.3, namespace: test, name: openapi-auth, version: 1.0.0}
use:
  secrets: [token]
do:
  - callIt:
      call: openapi
      with:
        document:
          endpoint: ${base}/openapi.yaml
        operationId: getGuarded
        authentication:
          bearer:
            token: ${token}
`;

  test('a bearer token from $secrets is sent, and cut out of what the server echoes', async () => {
    const handle = await harness.start(compileYaml(guarded('${ $secrets.token }'), 'openapi.yaml'), {});
    expect(await handle.result()).toEqual({ sent: 'Bearer ***' });
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(TOKEN);
  });

  test('a refused credential is a 401 communication error without the credential', async () => {
    const error = await failureOf(await harness.start(compileYaml(guarded('wrong-token-77'), 'openapi.yaml'), {}));
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 401, instance: '/do/0/callIt' });
    expect(error.detail).not.toContain('wrong-token-77');
  });
});

describe('call: openapi failures are coded SW errors with the task reference', () => {
  const instance = '/do/0/callIt';
  const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';

  test('unreachable document', async () => {
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
    const port = closed.port;
    closed.stop(true);
    const error = await fails(workflow(`http://127.0.0.1:${port}/openapi.yaml`, 'getPet'));
    expect(error).toMatchObject({ type: `${ERRORS}communication`, status: 503, instance });
  });

  test('document not found (404)', async () => {
    expect(await fails(workflow(`${base}/missing.yaml`, 'getPet'))).toMatchObject({ type: `${ERRORS}communication`, status: 404, instance });
  });

  test('bad document', async () => {
    const error = await fails(workflow(`${base}/broken.yaml`, 'getPet'));
    expect(error).toMatchObject({ type: `${ERRORS}configuration`, status: 400, title: 'Invalid OpenAPI document', instance });
  });

  test('unknown operation, naming the ones the document has', async () => {
    const error = await fails(workflow(`${base}/openapi.yaml`, 'getPets'));
    expect(error).toMatchObject({ type: `${ERRORS}configuration`, status: 404, title: 'Unknown operation', instance });
    expect(error.detail).toContain("'getPet'");
  });

  test('the service answers 401', async () => {
    const error = await fails(workflow(`${base}/openapi.yaml`, 'getSecret'));
    expect(error).toMatchObject({ type: `${ERRORS}communication`, status: 401, instance });
  });

  test('a missing required parameter and an undeclared one', async () => {
    expect(await fails(workflow(`${base}/openapi.yaml`, 'getPet'))).toMatchObject({ type: `${ERRORS}validation`, title: 'Missing parameter', instance });
    const error = await fails(workflow(`${base}/openapi.yaml`, 'getPet', '        parameters: {petId: 1, colour: red}'));
    expect(error).toMatchObject({ type: `${ERRORS}validation`, title: 'Unknown parameter', instance });
  });

  test('files outside the documents folder are refused', async () => {
    const error = await fails(workflow('file:///../../etc/passwd', 'getPet'));
    expect(error).toMatchObject({ type: `${ERRORS}configuration`, status: 403, instance });
  });
});

describe('call: openapi is safe by default', () => {
  test('no files and no loopback unless the operator allows them', async () => {
    const { openApiCall } = createOpenApiActivities();
    const request = { operationId: 'getPet', parameters: {}, output: 'content' as const, redirect: false, taskReference: '/do/0/x' };
    const file = await openApiCall({ ...request, document: 'file:///swagger.json' }).catch((error: unknown) => error);
    expect(file).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration', details: [{ status: 403, title: 'Reading files is off' }] });
    const loopback = await openApiCall({ ...request, document: `${base}/openapi.yaml` }).catch((error: unknown) => error);
    expect(loopback).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
  });
});

describe("call: openapi in Zigflow's dialect", () => {
  /** A 2.5 s call under a 1 s heartbeat timeout: it lives only if the activity heartbeats more often than its 1 s default. */
  const slow = (heartbeat: string) =>
    workflow(`${base}/openapi.yaml`, 'slow')
      .replace('  namespace: test\n  name: openapi', '  taskQueue: test\n  workflowType: openapi')
      .replace('      retryPolicy: {maximumAttempts: 1}', '      heartbeatTimeout: 1s\n      retryPolicy: {maximumAttempts: 1}')
      .replace('      call: openapi', `${heartbeat}      call: openapi`);

  test('metadata.heartbeat makes the OpenAPI activity heartbeat at that interval', async () => {
    expect(await run(slow('      metadata:\n        heartbeat: 200ms\n'))).toEqual({ slept: true });
  });

  test('without it the same call misses the heartbeat timeout', async () => {
    expect((await fails(slow(''))).type).toContain('timeout');
  });
});
