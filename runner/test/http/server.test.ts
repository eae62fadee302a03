/** The runner's HTTP server over real loopback HTTP: routing by prefix, the bearer token, failures. */
import { afterAll, expect, test } from 'bun:test';
import { livenessRoute, startHttpServer, type HttpRoute } from '../../src/http/index.ts';

const warnings: string[] = [];
const secret: HttpRoute = { prefix: '/things', authenticated: true, handle: (_request, url) => Response.json({ path: url.pathname }) };
const broken: HttpRoute = {
  prefix: '/things/broken',
  authenticated: true,
  handle: () => {
    throw new Error('kaput at /internal/path');
  },
};
const server = startHttpServer({
  address: '127.0.0.1:0',
  routes: [livenessRoute, secret, broken],
  authToken: 'tok',
  maxBodyBytes: 1024,
  warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
});
afterAll(() => server.stop());
const bearer = { authorization: 'Bearer tok' };

test('/livez answers without a token', async () => {
  const response = await fetch(`${server.url}/livez`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('ok\n');
});

test('an authenticated route refuses a missing or wrong token and serves the right one, below its prefix too', async () => {
  expect((await fetch(`${server.url}/things`)).status).toBe(401);
  expect((await fetch(`${server.url}/things`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  const response = await fetch(`${server.url}/things/a/b`, { headers: bearer });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ path: '/things/a/b' });
});

test('a path no route owns is 404, and a prefix does not match a longer word', async () => {
  expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  expect((await fetch(`${server.url}/thingsmore`, { headers: bearer })).status).toBe(404);
});

test('the longest prefix wins; a handler that throws is a 500 without its detail, reported to the log', async () => {
  const response = await fetch(`${server.url}/things/broken`, { headers: bearer });
  expect(response.status).toBe(500);
  expect(await response.text()).not.toContain('kaput');
  expect(warnings.join('\n')).toContain('kaput at /internal/path');
});

test('a body over the limit is refused', async () => {
  const response = await fetch(`${server.url}/things`, { method: 'POST', headers: bearer, body: 'x'.repeat(4096) });
  expect(response.status).toBe(413);
});
