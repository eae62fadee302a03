/** The runner's HTTP server over real loopback HTTP: routing by prefix, the bearer token, failures. */
import { afterAll, expect, test } from 'bun:test';
import { livenessRoute, startHttpServer, type HttpRoute } from '../../src/http/index.ts';

const warnings: string[] = [];
const secret: HttpRoute = {
  prefix: '/things',
  authenticated: true,
  handle: async (request, url) => Response.json({ path: url.pathname, ...(request.body ? { bodyBytes: (await request.arrayBuffer()).byteLength } : {}) }),
};
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

/** A body sent without `content-length` (chunked), in `chunks` pieces of `size` bytes. */
function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(size));
      else controller.close();
    },
  });
}

test('a body over the limit is refused with a sentence, declared or chunked, before the handler sees it', async () => {
  const declared = await fetch(`${server.url}/things`, { method: 'POST', headers: bearer, body: 'x'.repeat(4096) });
  expect(declared.status).toBe(413);
  expect(((await declared.json()) as { message: string }).message).toContain('1024 bytes');
  // An endless chunked body is cut at the limit rather than read to the end.
  const endless = await fetch(`${server.url}/things`, { method: 'POST', headers: bearer, body: chunked(1_000_000, 512), duplex: 'half' } as RequestInit);
  expect(endless.status).toBe(413);
  expect(((await endless.json()) as { message: string }).message).toContain('--max-message-bytes');
});

test('a body within the limit reaches the handler whole, declared or chunked', async () => {
  const declared = await fetch(`${server.url}/things`, { method: 'POST', headers: bearer, body: 'x'.repeat(1024) });
  expect(await declared.json()).toEqual({ path: '/things', bodyBytes: 1024 });
  const streamed = await fetch(`${server.url}/things`, { method: 'POST', headers: bearer, body: chunked(4, 256), duplex: 'half' } as RequestInit);
  expect(await streamed.json()).toEqual({ path: '/things', bodyBytes: 1024 });
});

test('an oversize body is not read before the token is checked', async () => {
  const response = await fetch(`${server.url}/things`, { method: 'POST', body: 'x'.repeat(4096) });
  expect(response.status).toBe(401);
});
