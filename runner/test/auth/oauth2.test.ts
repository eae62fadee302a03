/**
 * OAuth2 and OpenID Connect against a real authorization server (oidc-provider) on loopback, the
 * HTTP activity called directly: each grant, each client authentication method, discovery, token
 * caching and renewal before expiry (counted at the server), and the failures as the spec's errors
 * with the task reference. The resource server checks every token by introspection at the
 * authorization server, as a real one would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { ApplicationFailure } from '@temporalio/common';
import type { AuthenticationPolicy } from '@baton/dsl';
import { createAuthenticator } from '../../src/activities/auth/index.ts';
import { createHttpActivities } from '../../src/activities/http.ts';
import { NO_SECRETS } from '../../src/activities/http/secrets.ts';
import { createEgressClient } from '../../src/egress/index.ts';
import type { HttpCallRequest } from '../../src/contract/index.ts';
import type { WorkflowError } from '../../src/contract/index.ts';
import { LOOPBACK_ALLOWED } from '../interpreter/harness.ts';
import { ACCESS_TOKEN_TYPE, isActive, startAuthorizationServer, TOKEN_EXCHANGE } from './authorization-server.ts';
import type { AuthorizationServer } from './authorization-server.ts';

const CLIENT_SECRET = `client-secret-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const USER = { name: 'ada', password: `pw-${crypto.randomUUID()}` };
const TOKEN_TTL_S = 100;

let idp: AuthorizationServer;
let resource: ReturnType<typeof Bun.serve>;
/** The last token the resource server accepted. */
let lastToken = '';
/** Every bearer token the resource server was sent, accepted or not. */
const tokensSent: string[] = [];
let clock = Date.now();
const now = () => clock;

beforeAll(async () => {
  idp = await startAuthorizationServer({ clientSecret: CLIENT_SECRET, user: USER, tokenTtlSeconds: TOKEN_TTL_S });
  resource = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const header = request.headers.get('authorization') ?? '';
      if (!header.startsWith('Bearer ')) return new Response('no token', { status: 401 });
      const token = header.slice('Bearer '.length);
      tokensSent.push(token);
      const introspection = await isActive(idp, token, CLIENT_SECRET);
      if (!introspection.active) return new Response('inactive token', { status: 401 });
      lastToken = token;
      return Response.json({ client: introspection.client_id, sub: introspection.sub ?? null, token });
    },
  });
});

afterAll(async () => {
  resource?.stop(true);
  await idp?.stop();
});

beforeEach(() => {
  idp.tokenRequests.length = 0;
  idp.clientMethods.length = 0;
  idp.lifecycleRequests.length = 0;
  tokensSent.length = 0;
  idp.override = undefined;
});

function policy(scheme: 'oauth2' | 'oidc', properties: Record<string, unknown>): AuthenticationPolicy {
  return { scheme, properties: { kind: 'literal', value: { authority: idp.issuer, endpoints: { token: '/token' }, ...properties } } };
}

function request(authentication: AuthenticationPolicy, output: HttpCallRequest['output'] = 'content'): HttpCallRequest {
  return {
    method: 'GET',
    uri: `${resource.url.origin}/me`,
    headers: {},
    query: {},
    output,
    redirect: false,
    taskReference: '/do/0/callApi',
    authentication: { policy: authentication, data: {}, variables: {}, now: 0, declared: [] },
  };
}

const clientCredentials = (method: string, id: string) =>
  policy('oauth2', { grant: 'client_credentials', client: { id, secret: CLIENT_SECRET, authentication: method }, scopes: ['api'] });

async function failure(promise: Promise<unknown>): Promise<WorkflowError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return (error as ApplicationFailure).details![0] as WorkflowError;
}

describe('client credentials, by each client authentication method', () => {
  for (const [method, id, seen] of [
    ['client_secret_basic', 'basic-client', 'basic'],
    ['client_secret_post', 'post-client', 'post'],
    ['client_secret_jwt', 'jwt-client', 'jwt'],
  ] as const) {
    test(method, async () => {
      const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
      const output = (await httpCall(request(clientCredentials(method, id)))) as { client: string; token: string };
      expect(output.client).toBe(id);
      // The token the resource saw is not handed back: it is a credential.
      expect(output.token).toBe('***');
      expect(idp.tokenRequests).toEqual(['client_credentials']);
      expect(idp.clientMethods).toEqual([seen]);
    });
  }

  test('an unknown client is refused with a 401 authentication error', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const error = await failure(httpCall(request(clientCredentials('client_secret_post', 'stranger'))));
    expect(error.type).toBe('https://serverlessworkflow.io/spec/1.0.0/errors/authentication');
    expect(error.status).toBe(401);
    expect(error.instance).toBe('/do/0/callApi');
    expect(error.detail).toContain('invalid_client');
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
  });

  test('a wrong secret is a 401 authentication error that does not quote it', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const wrong = policy('oauth2', { grant: 'client_credentials', client: { id: 'basic-client', secret: 'not-the-secret-0123456789', authentication: 'client_secret_basic' } });
    const error = await failure(httpCall(request(wrong)));
    expect(error.status).toBe(401);
    expect(error.detail).not.toContain('not-the-secret-0123456789');
  });
});

describe('token caching and renewal', () => {
  test('one token serves many calls, and is renewed before it expires', async () => {
    clock = Date.now();
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const call = () => httpCall(request(clientCredentials('client_secret_basic', 'basic-client'), 'response')) as Promise<{ statusCode: number }>;
    await Promise.all([call(), call(), call()]);
    await call();
    expect(idp.tokenRequests).toEqual(['client_credentials']);
    // Within the last fifth of its lifetime (capped at 30 s) the token is not used any more.
    clock += (TOKEN_TTL_S - 15) * 1000;
    await call();
    expect(idp.tokenRequests).toEqual(['client_credentials', 'client_credentials']);
    await call();
    expect(idp.tokenRequests.length).toBe(2);
  });

  test('a token the resource refuses (revoked) is replaced once, transparently', async () => {
    clock = Date.now();
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const authentication = clientCredentials('client_secret_post', 'post-client');
    await httpCall(request(authentication));
    // Revoke the cached token at the server (RFC 7009), as an operator would.
    const revoked = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: lastToken, client_id: 'post-client', client_secret: CLIENT_SECRET }),
    });
    expect(revoked.status).toBe(200);
    expect((await isActive(idp, lastToken, CLIENT_SECRET)).active).toBe(false);
    const output = (await httpCall(request(authentication))) as { client: string };
    expect(output.client).toBe('post-client');
    expect(idp.tokenRequests).toEqual(['client_credentials', 'client_credentials']);
  });

  test('the password grant, renewed with the refresh token it came with', async () => {
    clock = Date.now();
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const password = policy('oauth2', {
      grant: 'password',
      username: USER.name,
      password: USER.password,
      client: { id: 'user-client', secret: CLIENT_SECRET, authentication: 'client_secret_basic' },
    });
    const first = (await httpCall(request(password))) as { sub: string };
    expect(first.sub).toBe(USER.name);
    clock += TOKEN_TTL_S * 1000;
    const second = (await httpCall(request(password))) as { sub: string };
    expect(second.sub).toBe(USER.name);
    expect(idp.tokenRequests).toEqual(['password', 'refresh_token']);
  });

  test('a wrong password is a 401 authentication error', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const wrong = policy('oauth2', { grant: 'password', username: USER.name, password: 'nope', client: { id: 'user-client', secret: CLIENT_SECRET, authentication: 'client_secret_basic' } });
    const error = await failure(httpCall(request(wrong)));
    expect(error.status).toBe(401);
    expect(error.detail).toContain('invalid_grant');
  });
});

describe('refresh_token and token exchange grants', () => {
  async function userTokens(): Promise<{ access_token: string; refresh_token: string }> {
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`user-client:${CLIENT_SECRET}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: USER.name, password: USER.password }),
    });
    return (await response.json()) as { access_token: string; refresh_token: string };
  }

  test('refresh_token: the subject token is the refresh token', async () => {
    const { refresh_token: refreshToken } = await userTokens();
    idp.tokenRequests.length = 0;
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const refresh = policy('oauth2', {
      grant: 'refresh_token',
      subject: { token: refreshToken, type: 'urn:ietf:params:oauth:token-type:refresh_token' },
      client: { id: 'user-client', secret: CLIENT_SECRET, authentication: 'client_secret_basic' },
    });
    const output = (await httpCall(request(refresh))) as { sub: string };
    expect(output.sub).toBe(USER.name);
    expect(idp.tokenRequests).toEqual(['refresh_token']);
  });

  test('token exchange: the server checks the subject token and issues another', async () => {
    const { access_token: subject } = await userTokens();
    idp.tokenRequests.length = 0;
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const exchange = (token: string) =>
      policy('oauth2', {
        grant: TOKEN_EXCHANGE,
        subject: { token, type: ACCESS_TOKEN_TYPE },
        audiences: ['orders'],
        client: { id: 'user-client', secret: CLIENT_SECRET, authentication: 'client_secret_basic' },
      });
    const output = (await httpCall(request(exchange(subject)))) as { client: string };
    expect(output.client).toBe('user-client');
    expect(idp.tokenRequests).toEqual([TOKEN_EXCHANGE]);
    const error = await failure(httpCall(request(exchange('not-a-token'))));
    expect(error.status).toBe(401);
    expect(error.detail).toContain('invalid_grant');
  });

  test('JSON-encoded token requests', async () => {
    // oidc-provider takes forms only (as RFC 6749 says); this relay checks the JSON and re-sends it as a form.
    const relayed: unknown[] = [];
    idp.override = (incoming, response) => {
      if (!incoming.headers['content-type']?.includes('application/json')) return false;
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      incoming.on('end', async () => {
        const parameters = JSON.parse(body) as Record<string, string>;
        relayed.push(parameters.grant_type);
        const answer = await fetch(`${idp.issuer}/token`, { method: 'POST', body: new URLSearchParams(parameters) });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
      return true;
    };
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const json = policy('oauth2', {
      grant: 'client_credentials',
      client: { id: 'post-client', secret: CLIENT_SECRET, authentication: 'client_secret_post' },
      request: { encoding: 'application/json' },
    });
    const output = (await httpCall(request(json))) as { client: string };
    expect(output.client).toBe('post-client');
    expect(relayed).toEqual(['client_credentials']);
  });
});

describe('OpenID Connect discovery', () => {
  const oidc = (authority: string) =>
    ({ scheme: 'oidc', properties: { kind: 'literal', value: { authority, grant: 'client_credentials', client: { id: 'basic-client', secret: CLIENT_SECRET, authentication: 'client_secret_basic' } } } }) as const;

  test('the token endpoint comes from the discovery document', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const output = (await httpCall(request(oidc(idp.issuer)))) as { client: string };
    expect(output.client).toBe('basic-client');
    expect(idp.tokenRequests).toEqual(['client_credentials']);
  });

  test('an issuer outside `issuers` is refused', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const untrusted = { scheme: 'oidc', properties: { kind: 'literal', value: { ...oidc(idp.issuer).properties.value, issuers: ['https://login.example'] } } } as const;
    const error = await failure(httpCall(request(untrusted)));
    expect(error.status).toBe(401);
    expect(error.detail).toContain('issuer');
  });

  test('a bad discovery document is a communication error naming it', async () => {
    idp.override = (incoming, response) => {
      if (!incoming.url?.startsWith('/.well-known/')) return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'https://elsewhere.example' }));
      return true;
    };
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const error = await failure(httpCall(request(oidc(idp.issuer))));
    expect(error.type).toBe('https://serverlessworkflow.io/spec/1.0.0/errors/communication');
    expect(error.title).toBe('Invalid discovery document');
    expect(error.instance).toBe('/do/0/callApi');
  });

  test('an unreachable issuer is a retryable communication error', async () => {
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const caught = await httpCall(request(oidc('http://127.0.0.1:9'))).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(ApplicationFailure);
    expect((caught as ApplicationFailure).nonRetryable).toBe(false);
    const error = (caught as ApplicationFailure).details![0] as WorkflowError;
    expect(error.status).toBe(503);
    expect(error.title).toBe('Authorization server unreachable');
    expect(error.instance).toBe('/do/0/callApi');
  });

  test('discovery and token endpoints go through the egress policy', async () => {
    const { httpCall } = createHttpActivities({ now });
    const error = await failure(httpCall(request(oidc(idp.issuer))));
    expect(error.status).toBe(403);
    expect(error.title).toBe('Refused by the egress policy');
  });
});

/** Revoking a token at the server (RFC 7009), as an operator would. */
async function revokeAtServer(token: string): Promise<void> {
  const revoked = await fetch(`${idp.issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-resource-server': '1' },
    body: new URLSearchParams({ token, client_id: 'post-client', client_secret: CLIENT_SECRET }),
  });
  expect(revoked.status).toBe(200);
}

describe('introspection and revocation endpoints', () => {
  const withEndpoints = (endpoints: Record<string, string>, method = 'client_secret_post', id = 'post-client') =>
    policy('oauth2', { grant: 'client_credentials', client: { id, secret: CLIENT_SECRET, authentication: method }, endpoints: { token: '/token', ...endpoints } });

  test('a cached token is introspected before reuse, and a revoked one is never sent again', async () => {
    clock = Date.now();
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const authentication = withEndpoints({ introspection: '/token/introspection' });
    await httpCall(request(authentication));
    const first = lastToken;
    await httpCall(request(authentication));
    expect(idp.lifecycleRequests).toEqual(['introspection:post']);
    expect(idp.tokenRequests).toEqual(['client_credentials']);
    await revokeAtServer(first);
    const output = (await httpCall(request(authentication))) as { client: string };
    expect(output.client).toBe('post-client');
    // Introspection said inactive: a new token was obtained before the call, the revoked one not tried.
    expect(tokensSent.filter((token) => token === first).length).toBe(2);
    expect(tokensSent.at(-1)).not.toBe(first);
    expect(idp.tokenRequests).toEqual(['client_credentials', 'client_credentials']);
    expect(idp.lifecycleRequests).toEqual(['introspection:post', 'introspection:post']);
  });

  test('an introspection endpoint that fails leaves the token in use', async () => {
    clock = Date.now();
    idp.override = (incoming, response) => {
      if (!incoming.url?.startsWith('/token/introspection') || incoming.headers['x-resource-server']) return false;
      response.writeHead(500).end();
      return true;
    };
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now });
    const authentication = withEndpoints({ introspection: '/token/introspection' }, 'client_secret_basic', 'basic-client');
    await httpCall(request(authentication));
    await httpCall(request(authentication));
    expect(idp.tokenRequests).toEqual(['client_credentials']);
    expect(tokensSent.length).toBe(2);
  });

  test('the tokens the runner holds are revoked, with the client authenticated, when it stops', async () => {
    clock = Date.now();
    const authenticator = createAuthenticator({ secrets: NO_SECRETS, client: createEgressClient(LOOPBACK_ALLOWED), now });
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now, authenticator });
    await httpCall(request(withEndpoints({ revocation: '/token/revocation' }, 'client_secret_basic', 'basic-client')));
    const held = lastToken;
    expect((await isActive(idp, held, CLIENT_SECRET)).active).toBe(true);
    await authenticator.close();
    expect(idp.lifecycleRequests).toEqual(['revocation:basic']);
    expect((await isActive(idp, held, CLIENT_SECRET)).active).toBe(false);
  });

  test('OpenID Connect: introspection and revocation come from the discovery document', async () => {
    clock = Date.now();
    const authenticator = createAuthenticator({ secrets: NO_SECRETS, client: createEgressClient(LOOPBACK_ALLOWED), now });
    const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED, now, authenticator });
    const oidc = { scheme: 'oidc', properties: { kind: 'literal', value: { authority: idp.issuer, grant: 'client_credentials', client: { id: 'post-client', secret: CLIENT_SECRET } } } } as const;
    await httpCall(request(oidc));
    const first = lastToken;
    await revokeAtServer(first);
    await httpCall(request(oidc));
    const second = lastToken;
    expect(second).not.toBe(first);
    expect(tokensSent).toEqual([first, second]);
    await authenticator.close();
    expect(idp.lifecycleRequests).toEqual(['introspection:post', 'revocation:post']);
    expect((await isActive(idp, second, CLIENT_SECRET)).active).toBe(false);
  });
});
