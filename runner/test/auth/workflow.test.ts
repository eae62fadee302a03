/**
 * Authentication end to end on the real dev server: a workflow calls a loopback resource with
 * basic (secret-based), bearer (reused from use.authentications), digest (SHA-256 with qop, and
 * RFC 2617's MD5 without it) and OpenID Connect against oidc-provider. The resource verifies each
 * credential with its own computation. Then the raw history (no codec in this harness, so nothing
 * is encrypted) and the execution status are searched for every credential and token, in every
 * encoding the redactor knows, and must not hold them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { createHttpActivities } from '../../src/activities/http.ts';
import { statusQuery } from '../../src/contract/index.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';
import { isActive, startAuthorizationServer } from './authorization-server.ts';
import { encodings, historyText } from './history-text.ts';
import type { AuthorizationServer } from './authorization-server.ts';

const USER = 'ada';
const PASSWORD = `pw-${crypto.randomUUID()}`;
const API_TOKEN = `api-${crypto.randomUUID()}`;
const CLIENT_SECRET = `client-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const REALM = 'baton-test';
const tokensSeen: string[] = [];

let idp: AuthorizationServer;
let resource: ReturnType<typeof Bun.serve>;
let harness: Harness;

/** The server's own digest check (RFC 7616 §3.4.1), written apart from the client's. */
function digestValid(header: string, method: string, algorithm: 'sha256' | 'md5'): boolean {
  const params = Object.fromEntries([...header.slice('Digest '.length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
  const h = (text: string) => createHash(algorithm).update(text).digest('hex');
  if (params.username !== USER || params.realm !== REALM || params.opaque !== 'opaque-1') return false;
  const a1 = h(`${USER}:${REALM}:${PASSWORD}`);
  const a2 = h(`${method}:${params.uri}`);
  const expected = params.qop ? h(`${a1}:${params.nonce}:${params.nc}:${params.cnonce}:${params.qop}:${a2}`) : h(`${a1}:${params.nonce}:${a2}`);
  return params.response === expected;
}

beforeAll(async () => {
  idp = await startAuthorizationServer({ clientSecret: CLIENT_SECRET, user: { name: USER, password: PASSWORD }, tokenTtlSeconds: 300 });
  resource = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const { pathname } = new URL(request.url);
      const header = request.headers.get('authorization') ?? '';
      const ok = (scheme: string) => Response.json({ scheme, path: pathname, echo: header });
      switch (pathname) {
        case '/basic':
          return header === `Basic ${btoa(`${USER}:${PASSWORD}`)}` ? ok('basic') : new Response('no', { status: 401 });
        case '/bearer':
          return header === `Bearer ${API_TOKEN}` ? ok('bearer') : new Response('no', { status: 401 });
        case '/digest':
        case '/digest-md5': {
          const md5 = pathname === '/digest-md5';
          if (header.startsWith('Digest ') && digestValid(header, request.method, md5 ? 'md5' : 'sha256')) return ok('digest');
          const challenge = md5
            ? `Digest realm="${REALM}", nonce="${crypto.randomUUID()}", opaque="opaque-1"`
            : `Digest realm="${REALM}", qop="auth", algorithm=SHA-256, nonce="${crypto.randomUUID()}", opaque="opaque-1"`;
          return new Response('challenge', { status: 401, headers: { 'www-authenticate': challenge } });
        }
        case '/oidc': {
          const token = header.slice('Bearer '.length);
          if (!(await isActive(idp, token, CLIENT_SECRET)).active) return new Response('no', { status: 401 });
          tokensSeen.push(token);
          return ok('oidc');
        }
      }
      return new Response('not found', { status: 404 });
    },
  });
  const secrets = { file: { creds: { username: USER, password: PASSWORD }, apiToken: API_TOKEN, clientSecret: CLIENT_SECRET }, env: {} };
  harness = await startHarness('auth', { ...createHttpActivities({ secrets, egress: LOOPBACK_ALLOWED }) });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  resource?.stop(true);
  await idp?.stop();
});

const DOCUMENT = `document: { dsl: '1.0.3', namespace: test, name: authenticated, version: '1.0.0' }
use:
  secrets: [creds, apiToken, clientSecret]
  authentications:
    api:
      bearer:
        token: \${ $secrets.apiToken }
    idp:
      oidc:
        authority: @@IDP@@
        grant: client_credentials
        client:
          id: basic-client
          secret: \${ $secrets.clientSecret }
          authentication: client_secret_basic
do:
  - basic:
      call: http
      with: { method: get, output: response, endpoint: { uri: @@API@@/basic, authentication: { basic: { use: creds } } } }
      export: { as: '\${ $context + { basic: .content.scheme } }' }
  - bearer:
      call: http
      with: { method: get, endpoint: { uri: @@API@@/bearer, authentication: { use: api } } }
      export: { as: '\${ $context + { bearer: .scheme, echo: .echo, bearerScheme: $authorization.scheme } }' }
  - digest:
      call: http
      with:
        method: get
        endpoint:
          uri: @@API@@/digest
          authentication: { digest: { username: '\${ $secrets.creds.username }', password: '\${ $secrets.creds.password }' } }
      export: { as: '\${ $context + { digest: .scheme, digestScheme: $authorization.scheme } }' }
  - digestMd5:
      call: http
      with: { method: get, endpoint: { uri: @@API@@/digest-md5, authentication: { digest: { use: creds } } } }
      export: { as: '\${ $context + { digestMd5: .scheme } }' }
  - oidc:
      call: http
      with: { method: get, output: raw, endpoint: { uri: @@API@@/oidc, authentication: { use: idp } } }
      export: { as: '\${ $context + { oidc: (. | @base64d | fromjson | .scheme) } }' }
  - result:
      set: '\${ $context }'
`;

function compile(source: string) {
  return compileYaml(source.replaceAll('@@API@@', resource.url.origin).replaceAll('@@IDP@@', idp.issuer), 'authenticated.yaml');
}

describe('authentication in a workflow', () => {
  test('every scheme authenticates, and no credential or token reaches history or the status', async () => {
    const handle = await harness.start(compile(DOCUMENT), {});
    const output = (await handle.result()) as Record<string, unknown>;
    expect(output).toMatchObject({ basic: 'basic', bearer: 'bearer', digest: 'digest', digestMd5: 'digest', oidc: 'oidc' });
    expect(output).toMatchObject({ bearerScheme: 'Bearer', digestScheme: 'Digest' });
    // The resource echoed the bearer header: the token is cut out of the output.
    expect(output.echo).toBe('Bearer ***');
    expect(tokensSeen.length).toBe(1);
    const text = `${await historyText(harness.client, handle.workflowId)}\n${JSON.stringify(await handle.query(statusQuery))}`;
    const basicParameter = btoa(`${USER}:${PASSWORD}`);
    for (const secret of [PASSWORD, API_TOKEN, CLIENT_SECRET, basicParameter, ...tokensSeen]) {
      for (const form of encodings(secret)) expect(text.includes(form)).toBe(false);
    }
  });

  test('a refused credential fails the task with the spec error and its reference', async () => {
    const wrong = DOCUMENT.replace('uri: @@API@@/basic, authentication: { basic: { use: creds } }', 'uri: @@API@@/bearer, authentication: { basic: { use: creds } }');
    const error = await failureOf(await harness.start(compile(wrong), {}));
    expect(error.status).toBe(401);
    expect(error.instance).toBe('/do/0/basic');
  });
});
