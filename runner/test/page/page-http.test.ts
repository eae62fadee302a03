/**
 * The execution page over real loopback HTTP against a real runner and Temporal: access (sign-in
 * cookie, bearer header, refusals), status_url/subscribe_url, the event stream, the list's filters
 * and hostile text escaped. The browser's view is in page-browser.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { generateCodecKey } from '../../src/codec/index.ts';
import { eventually, startStack, uniqueName, type Stack } from '../service/support/stack.ts';
import { HELLO, RAISE } from '../service/support/workflows.ts';

const TOKEN = 'page-test-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
let stack: Stack;
let base: string;
const codecKeys = [generateCodecKey()];

beforeAll(async () => {
  stack = await startStack({ httpAddress: '127.0.0.1:0', authToken: TOKEN, codecKeys, temporalUiUrl: 'http://ui.example:8233' });
  base = stack.runner.httpUrl!;
});
afterAll(() => stack.stop());

const HOSTILE = `
document:
  dsl: '1.0.0'
  namespace: test
  name: hostile
  version: '1.0.0'
  title: "<script>window.pwned = 1</script>"
do:
  - shout:
      set:
        html: "<img src=x onerror=\\"window.pwned = 2\\">&amp;"
`;

async function signIn(): Promise<string> {
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token: TOKEN, next: '/executions?phase=FAILED' }),
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/executions?phase=FAILED');
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Strict');
  expect(cookie).not.toContain(TOKEN);
  return cookie.split(';')[0]!;
}

test('without a session or token: pages go to sign-in, the stream is 401, a wrong token or forged cookie is refused', async () => {
  const list = await fetch(`${base}/executions`, { redirect: 'manual' });
  expect(list.status).toBe(303);
  expect(list.headers.get('location')).toBe('/sign-in?next=%2Fexecutions');
  expect((await fetch(`${base}/executions/some-id/watch`)).status).toBe(401);
  expect((await fetch(`${base}/executions`, { redirect: 'manual', headers: { cookie: 'baton_session=99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(303);
  const wrong = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'nope', next: '/executions' }),
  });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('set-cookie')).toBeNull();
  const foreign = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: new URLSearchParams({ token: TOKEN }),
  });
  expect(foreign.status).toBe(403);
  // Arriving from another site: the page reloads itself once so the SameSite=Strict cookie comes along.
  const crossSite = await fetch(`${base}/executions/x`, { redirect: 'manual', headers: { 'sec-fetch-site': 'cross-site' } });
  expect(crossSite.status).toBe(401);
  expect(await crossSite.text()).toContain('http-equiv="refresh"');
});

test('signing in gives a cookie that opens the page; a bearer header does too; `next` never leaves the page', async () => {
  const cookie = await signIn();
  const list = await fetch(`${base}/executions`, { headers: { cookie } });
  expect(list.status).toBe(200);
  expect(list.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect((await fetch(`${base}/executions`, { headers: bearer })).status).toBe(200);
  const away = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: TOKEN, next: '//evil.example/executions' }),
  });
  expect(away.headers.get('location')).toBe('/executions');
  const out = await fetch(`${base}/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie } });
  expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
});

test('status_url and subscribe_url point at the page; the page shows graph, output and document; the stream ends with the execution', async () => {
  const id = uniqueName('page-hello');
  const answer = await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Ada' } });
  expect(answer.statusUrl).toBe(`${base}/executions/${id}`);
  expect(answer.subscribeUrl).toBe(`${base}/executions/${id}/watch`);

  const stream = await fetch(answer.subscribeUrl, { headers: bearer });
  expect(stream.headers.get('content-type')).toContain('text/event-stream');
  const events = await stream.text();
  expect(events).toContain('event: execution');
  expect(events.trimEnd().endsWith('event: end\ndata: {}')).toBe(true);
  const last = events.split('\n\n').filter((chunk) => chunk.startsWith('event: execution')).at(-1)!;
  const view = JSON.parse(last.split('\ndata: ')[1]!);
  expect(view.phase).toBe('COMPLETED');
  expect(view.output).toEqual({ greeting: 'Hello, Ada!' });
  expect(JSON.stringify(view)).not.toContain('sealedToken');

  const page = await (await fetch(answer.statusUrl, { headers: bearer })).text();
  expect(page).toContain('data-path="/do/0/greet" data-state="COMPLETED"');
  expect(page).toContain('Hello, Ada!');
  expect(page).toContain('&#34;Ada&#34;'); // the input, decoded through the runner's codec
  expect(page).toContain('<span class="line" id="L3">');
  expect(page).toContain(`http://ui.example:8233/namespaces/${stack.runner.namespace}/workflows/${id}/`);
});

test('a hostile document title and output are shown escaped', async () => {
  const id = uniqueName('page-hostile');
  await stack.client.execute({ workflowExecutionId: id, workflowYaml: HOSTILE });
  const page = await (await fetch(`${base}/executions/${id}`, { headers: bearer })).text();
  expect(page).not.toContain('<script>window.pwned');
  expect(page).not.toContain('<img src=x');
  expect(page).toContain('&#60;script&#62;window.pwned = 1&#60;/script&#62;');
  expect(page).toContain('&#60;img src=x onerror=');
});

test('a waiting task shows what it waits for, escaped, on the page and in the stream, and not once it ran', async () => {
  const id = uniqueName('page-awaiting');
  const yaml = `document: {dsl: 1.0.3, namespace: test, name: page-awaiting, version: 1.0.0}
do:
  - decide:
      listen:
        to:
          one:
            with: { type: "<b>approval</b>", subject: '\${ .request }' }
`;
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml, input: { request: '<i>req-7</i>' } });
  const page = await eventually(
    async () => (await fetch(`${base}/executions/${id}`, { headers: bearer })).text(),
    (text) => text.includes('class="awaiting"'),
    30_000,
  );
  expect(page).toContain('<span class="awaiting">waiting for one event {type=&#60;b&#62;approval&#60;/b&#62;, subject=&#60;i&#62;req-7&#60;/i&#62;}</span>');
  expect(page).not.toContain('<b>approval');
  const stream = await fetch(`${base}/executions/${id}/watch`, { headers: bearer });
  const reader = stream.body!.getReader();
  let first = '';
  while (!/event: execution\ndata: .*\n\n/.test(first)) first += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  expect(first).toContain('"waitingFor":"waiting for one event {type=<b>approval</b>, subject=<i>req-7</i>}"');
  expect(first).not.toContain('"awaiting"');

  const published = await fetch(`${base}/events`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: crypto.randomUUID(), source: '/tests/page', type: '<b>approval</b>', subject: '<i>req-7</i>' }),
  });
  expect(published.status).toBe(202);
  const done = await eventually(
    async () => (await fetch(`${base}/executions/${id}`, { headers: bearer })).text(),
    (text) => text.includes('data-phase="COMPLETED"'),
    30_000,
  );
  expect(done).not.toContain('class="awaiting"');
});

test('the list filters by phase, document and callback state, and pages', async () => {
  const ok = uniqueName('page-list-ok');
  const boom = uniqueName('page-list-boom');
  await stack.client.execute({ workflowExecutionId: ok, workflowYaml: HELLO, input: { name: 'Io' } });
  await stack.client.execute({ workflowExecutionId: boom, workflowYaml: RAISE });
  const list = async (query: string) => (await fetch(`${base}/executions?${query}`, { headers: bearer })).text();
  // Visibility is eventually consistent: wait until both are listed.
  await eventually(() => list(''), (text) => text.includes(ok) && text.includes(boom));
  const failed = await list('phase=FAILED');
  expect(failed).toContain(boom);
  expect(failed).not.toContain(ok);
  const completed = await list('phase=COMPLETED');
  expect(completed).toContain(ok);
  expect(completed).not.toContain(boom);
  const byDocument = await list('document=test%2Fboom');
  expect(byDocument).toContain(boom);
  expect(byDocument).not.toContain(ok);
  expect(await list('callback=NONE')).toContain(ok);
  expect(await list('callback=LOST')).not.toContain(ok);
  const first = await list('size=1');
  const next = /href="\/executions\?size=1&#38;page=([A-Za-z0-9_-]+)"/.exec(first);
  expect(next).not.toBeNull();
  expect((await list(`size=1&page=${next![1]}`)).includes('<tbody>')).toBe(true);
});

test('another replica (service only, same token and keys) shows the same execution the same way', async () => {
  const id = uniqueName('page-replica');
  await stack.client.execute({ workflowExecutionId: id, workflowYaml: RAISE });
  const other = await startStack({ httpAddress: '127.0.0.1:0', authToken: TOKEN, codecKeys, temporalUiUrl: 'http://ui.example:8233', taskQueue: stack.config.taskQueue }, 'service');
  try {
    const section = async (url: string) => {
      const text = await (await fetch(`${url}/executions/${id}`, { headers: bearer })).text();
      return text.slice(text.indexOf('<div id="execution"'), text.indexOf('<section aria-labelledby="yaml-title">'));
    };
    const [here, there] = [await section(base), await section(other.runner.httpUrl!)];
    expect(here).toContain('data-path="/do/1/explode" data-state="FAILED"');
    expect(there).toBe(here);
  } finally {
    await other.stop();
  }
});

test('an unknown execution is a 404 page', async () => {
  const response = await fetch(`${base}/executions/${uniqueName('missing')}`, { headers: bearer });
  expect(response.status).toBe(404);
});
