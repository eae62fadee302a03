/**
 * Resources read with credentials, end to end on the real dev server: a catalog whose endpoint
 * authenticates with OAuth2 against oidc-provider, functions named by URL (one lent the catalog's
 * credentials, one public), an OpenAPI document and a script source behind the same policy, and a
 * plain call with it — one token for all of them, from the runner's shared authenticator. The resource server checks each token by introspection.
 * Then the raw history is searched for the client secret and every token, in every encoding.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createAuthenticator } from '../../src/activities/auth/index.ts';
import { createCatalogFunctionActivities } from '../../src/activities/catalog-functions.ts';
import { createHttpActivities } from '../../src/activities/http.ts';
import { createOpenApiActivities } from '../../src/activities/openapi.ts';
import { createRunActivities, RUN_NOTHING } from '../../src/activities/run/index.ts';
import { createEgressClient } from '../../src/egress/index.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';
import { isActive, startAuthorizationServer } from './authorization-server.ts';
import type { AuthorizationServer } from './authorization-server.ts';
import { encodings, historyText } from './history-text.ts';

const CLIENT_SECRET = `client-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const GREET = (greeting: string) => `set:\n  greeting: '\${ "${greeting}, " + .name }'\n`;
const tokensSeen: string[] = [];

let idp: AuthorizationServer;
let resource: ReturnType<typeof Bun.serve>;
let harness: Harness;

beforeAll(async () => {
  idp = await startAuthorizationServer({ clientSecret: CLIENT_SECRET, user: { name: 'ada', password: 'unused' }, tokenTtlSeconds: 300 });
  const files: Record<string, string> = {
    '/secure/functions/greet/1.0.0/function.yaml': GREET('Hello from the catalog'),
    '/secure/functions/wave/2.0.0/function.yaml': GREET('Waving by URL'),
    '/public/nod.yaml': GREET('Nodding'),
    '/public/broken.yaml': 'set: "${ .a + }"',
    '/secure/script.js': 'console.log("scripted with credentials")\n',
  };
  const openApi = (origin: string) =>
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'hello', version: '1' },
      servers: [{ url: `${origin}/public` }],
      paths: { '/hello': { get: { operationId: 'hello', responses: { '200': { description: 'ok' } } } } },
    });
  resource = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith('/secure/')) {
        const header = request.headers.get('authorization') ?? '';
        const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
        if (!token || !(await isActive(idp, token, CLIENT_SECRET)).active) return new Response('no', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
        tokensSeen.push(token);
        if (pathname === '/secure/ping') return Response.json({ pong: true });
        if (pathname === '/secure/openapi.json') return new Response(openApi(new URL(request.url).origin), { headers: { 'content-type': 'application/json' } });
      }
      if (pathname === '/public/hello') return Response.json({ message: 'hello from the documented API' });
      const text = files[pathname];
      return text === undefined ? new Response('not found', { status: 404 }) : new Response(text);
    },
  });
  const secrets = { file: { clientSecret: CLIENT_SECRET }, env: {} };
  const authenticator = createAuthenticator({ secrets, client: createEgressClient(LOOPBACK_ALLOWED) });
  harness = await startHarness('resources', {
    ...createHttpActivities({ secrets, egress: LOOPBACK_ALLOWED, authenticator }),
    ...createCatalogFunctionActivities({ secrets, egress: LOOPBACK_ALLOWED, authenticator }),
    ...createOpenApiActivities({ secrets, egress: LOOPBACK_ALLOWED, authenticator }),
    ...createRunActivities({ policy: { ...RUN_NOTHING, scriptLanguages: ['js'] }, egress: LOOPBACK_ALLOWED, secrets, authenticator }),
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  resource?.stop(true);
  await idp?.stop();
});

function document(tasks: string, secret = '${ $secrets.clientSecret }'): string {
  return `document: { dsl: '1.0.3', namespace: test, name: resources, version: '1.0.0', metadata: { activityOptions: { retryPolicy: { maximumAttempts: 1 } } } }
use:
  secrets: [clientSecret]
  authentications:
    idp:
      oauth2:
        authority: ${idp.issuer}
        grant: client_credentials
        endpoints: { token: /token }
        client: { id: basic-client, secret: '${secret}', authentication: client_secret_basic }
  catalogs:
    secured:
      endpoint:
        uri: ${resource.url.origin}/secure
        authentication: { use: idp }
do:
${tasks}`;
}

const ALL = `  - cataloged:
      call: greet:1.0.0@secured
      with: { name: '\${ .user }' }
      export: { as: '\${ $context + { cataloged: .greeting } }' }
  - byUrl:
      call: @@API@@/secure/functions/wave@2.0.0
      with: { name: Grace }
      export: { as: '\${ $context + { byUrl: .greeting } }' }
  - publicFile:
      call: @@API@@/public/nod.yaml
      with: { name: Alan }
      export: { as: '\${ $context + { publicFile: .greeting } }' }
  - documented:
      call: openapi
      with:
        document:
          endpoint:
            uri: @@API@@/secure/openapi.json
            authentication: { use: idp }
        operationId: hello
      export: { as: '\${ $context + { documented: .message } }' }
  - scripted:
      run:
        script:
          language: js
          source:
            endpoint:
              uri: @@API@@/secure/script.js
              authentication: { use: idp }
      export: { as: '\${ $context + { scripted: . } }' }
  - ping:
      call: http
      with: { method: get, endpoint: { uri: @@API@@/secure/ping, authentication: { use: idp } } }
      export: { as: '\${ $context + { ping: .pong } }' }
  - result:
      set: '\${ $context }'
`;

const compile = (source: string) => compileYaml(source.replaceAll('@@API@@', resource.url.origin), 'resources.yaml');

describe('resources read with credentials', () => {
  test('a catalog and a URL function behind OAuth2 share one token with calls, and none of it reaches history', async () => {
    const handle = await harness.start(compile(document(ALL)), { user: 'Ada' });
    expect(await handle.result()).toEqual({
      cataloged: 'Hello from the catalog, Ada',
      byUrl: 'Waving by URL, Grace',
      publicFile: 'Nodding, Alan',
      documented: 'hello from the documented API',
      scripted: 'scripted with credentials',
      ping: true,
    });
    // The catalog, the URL function (lent the catalog's credentials), the OpenAPI document, the
    // script source and the call: one token.
    expect(idp.tokenRequests).toEqual(['client_credentials']);
    expect(new Set(tokensSeen).size).toBe(1);
    expect(tokensSeen.length).toBe(5);
    const text = await historyText(harness.client, handle.workflowId);
    for (const secret of [CLIENT_SECRET, ...tokensSeen]) {
      for (const form of encodings(secret)) expect(text.includes(form)).toBe(false);
    }
  });

  test('a refused client is the spec authentication error at the task, not quoting the secret', async () => {
    const wrong = `not-the-secret-${crypto.randomUUID()}`;
    const handle = await harness.start(compile(document(ALL, wrong)), { user: 'Ada' });
    const error = await failureOf(handle);
    expect(error).toMatchObject({ type: `${ERRORS}authentication`, status: 401, instance: '/do/0/cataloged' });
    // A literal in the document is in history with the plan; the failure must not quote it again.
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  test('a URL function outside every authenticated catalog is read without credentials: 401 at the task', async () => {
    const tasks = `  - stranger:\n      call: ${resource.url.origin}/secure/functions/greet/1.0.0/function.yaml\n`;
    const source = document(tasks).replace(/  catalogs:[\s\S]*?(?=do:)/, '');
    const error = await failureOf(await harness.start(compile(source), {}));
    expect(error).toMatchObject({ type: `${ERRORS}communication`, status: 401, instance: '/do/0/stranger' });
  });

  test('a URL function that is missing or does not compile is a coded error at the task', async () => {
    const missing = `  - missing:\n      call: ${resource.url.origin}/public/absent.yaml\n`;
    expect(await failureOf(await harness.start(compile(document(missing)), {}))).toMatchObject({ type: `${ERRORS}communication`, status: 404, instance: '/do/0/missing' });
    const broken = `  - broken:\n      call: ${resource.url.origin}/public/broken.yaml\n`;
    expect(await failureOf(await harness.start(compile(document(broken)), {}))).toMatchObject({
      type: `${ERRORS}configuration`,
      status: 400,
      title: 'Invalid catalog function',
      instance: '/do/0/broken',
    });
  });
});

describe('documents and sources read with credentials: failures', () => {
  test('an OpenAPI document whose credentials are refused is a 401 at the task', async () => {
    const tasks = `  - documented:
      call: openapi
      with:
        document: { endpoint: { uri: ${resource.url.origin}/secure/openapi.json, authentication: { bearer: { token: not-a-token } } } }
        operationId: hello
`;
    expect(await failureOf(await harness.start(compile(document(tasks)), {}))).toMatchObject({ type: `${ERRORS}communication`, status: 401, instance: '/do/0/documented' });
  });

  test('a script source whose credentials are refused is a 401 at the task', async () => {
    const tasks = `  - scripted:
      run:
        script:
          language: js
          source: { endpoint: { uri: ${resource.url.origin}/secure/script.js, authentication: { bearer: { token: not-a-token } } } }
`;
    expect(await failureOf(await harness.start(compile(document(tasks)), {}))).toMatchObject({ status: 401, instance: '/do/0/scripted' });
  });
});
