/**
 * The execution page in a real headless Chromium (Debian's, driven by puppeteer-core; no browser
 * is ever downloaded): signing in, an execution's tasks changing state without a reload, the
 * failure's position, hostile text staying text, the list's filters by keyboard. A screenshot of
 * the failed execution is kept in runner/test/artifacts/ (git-ignored) for people to look at.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { eventually, startStack, uniqueName, type Stack } from '../service/support/stack.ts';
import { HELLO } from '../service/support/workflows.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dir, '..', 'artifacts');
const TOKEN = 'browser-test-token';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the browser tests: ${CHROMIUM} is missing (Debian package chromium; .ci/run installs it)`);

/** Runs a little, waits (long enough to watch it), then fails at a known task. */
const STEPS = `
document: { dsl: '1.0.0', namespace: test, name: steps, version: '1.0.0' }
do:
  - prepare:
      set:
        ready: true
  - rest:
      wait:
        seconds: 3
  - explode:
      raise:
        error:
          type: https://example.com/errors/boom
          status: 422
          title: Boom
          detail: the widget exploded
  - never:
      set:
        reached: true
`;

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
        html: "<img src=x onerror=\\"window.pwned = 2\\">"
`;

let stack: Stack;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  if (!haveChromium) return;
  stack = await startStack({ httpAddress: '127.0.0.1:0', authToken: TOKEN });
  base = stack.runner.httpUrl!;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 1400 });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const state = (path: string) => page.$eval(`[data-path="${path}"]`, (node) => node.getAttribute('data-state'));

test.skipIf(!haveChromium)('an unauthenticated visit goes to sign-in; signing in opens the page asked for', async () => {
  const id = uniqueName('browser-hello');
  await stack.client.execute({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Ada' } });
  const refused = await page.goto(`${base}/executions/${id}`);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  expect(refused?.status()).toBe(200);
  await page.type('#token', 'wrong');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.$eval('#sign-in-problem', (node) => node.textContent)).toContain('not this runner');
  await page.type('#token', TOKEN);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(new URL(page.url()).pathname).toBe(`/executions/${id}`);
  expect(await state('/do/0/greet')).toBe('COMPLETED');
});

test.skipIf(!haveChromium)('tasks change state live, without a reload, up to the failure, whose position is shown', async () => {
  const id = uniqueName('browser-steps');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: STEPS });
  await page.goto(`${base}/executions/${id}`);
  // A reload would lose this mark.
  await page.evaluate('window.loadedOnce = true');
  expect(await state('/do/2/explode')).toBe('NOT_RUN');
  expect(await page.$eval('#failure', (node) => node.hasAttribute('hidden'))).toBe(true);

  await page.waitForSelector('[data-path="/do/1/rest"][data-state="RUNNING"]', { timeout: 20_000 });
  await page.waitForSelector('[data-path="/do/2/explode"][data-state="FAILED"]', { timeout: 30_000 });
  expect(await page.evaluate('window.loadedOnce')).toBe(true);
  expect(await state('/do/0/prepare')).toBe('COMPLETED');
  expect(await state('/do/1/rest')).toBe('COMPLETED');
  expect(await state('/do/3/never')).toBe('NOT_RUN');
  expect(await page.$eval('#phase', (node) => node.textContent)).toBe('failed');
  expect(await page.$eval('#failure', (node) => node.hasAttribute('hidden'))).toBe(false);
  expect(await page.$eval('#failure-link', (node) => node.textContent)).toBe('/do/2/explode');
  expect(await page.$eval('[data-path="/do/2/explode"]', (node) => node.classList.contains('failure-position'))).toBe(true);
  expect(await page.$eval('[data-path="/do/2/explode"] .node-error', (node) => node.textContent)).toContain('the widget exploded');
  await page.waitForFunction("document.getElementById('live').textContent.includes('ended')", { timeout: 20_000 });
  expect(await page.$$eval('#timeline-rows tr', (rows) => rows.length)).toBeGreaterThanOrEqual(3);

  // Keyboard: the failure link moves focus to the failed task.
  await page.focus('#failure-link');
  await page.keyboard.press('Enter');
  expect(await page.evaluate('document.activeElement && document.activeElement.dataset.path')).toBe('/do/2/explode');

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'execution-page-failed.png'), fullPage: true });
});

test.skipIf(!haveChromium)('a hostile title and output stay text', async () => {
  const id = uniqueName('browser-hostile');
  await stack.client.execute({ workflowExecutionId: id, workflowYaml: HOSTILE });
  await page.goto(`${base}/executions/${id}`);
  expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
  expect(await page.$eval('.document', (node) => node.textContent)).toContain('<script>window.pwned = 1</script>');
  expect(await page.$eval('#value-output', (node) => node.textContent)).toContain('<img src=x onerror=');
  expect(await page.$$('img')).toHaveLength(0);
});

test.skipIf(!haveChromium)('the list filters by phase, chosen by keyboard', async () => {
  const ok = uniqueName('browser-list-ok');
  const failed = uniqueName('browser-list-failed');
  await stack.client.execute({ workflowExecutionId: ok, workflowYaml: HELLO, input: { name: 'Io' } });
  await stack.client.execute({ workflowExecutionId: failed, workflowYaml: STEPS.replace('seconds: 3', 'milliseconds: 1') });
  await eventually(
    async () => (await page.goto(`${base}/executions`), await page.content()),
    (html) => html.includes(ok) && html.includes(failed),
  );
  await page.focus('#filter-phase');
  await page.select('#filter-phase', 'FAILED');
  await page.focus('#filter-submit');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(new URL(page.url()).searchParams.get('phase')).toBe('FAILED');
  const ids = await page.$$eval('table.executions tbody th a', (links) => links.map((link) => link.textContent));
  expect(ids).toContain(failed);
  expect(ids).not.toContain(ok);
  await page.screenshot({ path: join(ARTIFACTS, 'execution-list-failed.png'), fullPage: true });
});

test.skipIf(!haveChromium)('a link from another site opens the page for a signed-in person (the Strict cookie comes on the reload)', async () => {
  const id = uniqueName('browser-linked');
  await stack.client.execute({ workflowExecutionId: id, workflowYaml: HELLO, input: { name: 'Lin' } });
  // `localhost` is another site than `127.0.0.1` to the browser.
  const elsewhere = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => new Response(`<!doctype html><a id="go" href="${base}/executions/${id}">status</a>`, { headers: { 'content-type': 'text/html' } }),
  });
  try {
    await page.goto(`http://localhost:${elsewhere.port}/`);
    await Promise.all([page.waitForNavigation(), page.click('#go')]);
    await page.waitForSelector('#execution', { timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe(`/executions/${id}`);
    expect(await state('/do/0/greet')).toBe('COMPLETED');
  } finally {
    await elsewhere.stop(true);
  }
});

test.skipIf(!haveChromium)('after signing out, the page is refused again', async () => {
  await page.goto(`${base}/executions`);
  await Promise.all([page.waitForNavigation(), page.click('.sign-out button')]);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  await page.goto(`${base}/executions`);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
});
