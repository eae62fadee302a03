/**
 * Cataloged functions (`call: name:version@catalog`) on the real dev server: a catalog served over
 * HTTP, one in the documents folder (a `file:` endpoint) and the runner's `default` catalog (that
 * folder itself), an invalid definition and a missing one, and the egress policy in front of HTTP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogFunctionActivities, functionAddress } from '../../src/activities/catalog-functions.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const GREET_SAFE = `
do:
  - shape:
      set:
        greeting: '\${ "Hi, " + .name }'
  - count:
      set:
        greeting: '\${ .greeting }'
        length: '\${ .greeting | length }'
`;

let folder: string;
let http: ReturnType<typeof Bun.serve>;
let requests = 0;
let harness: Harness;

function writeFunction(root: string, name: string, version: string, text: string): void {
  mkdirSync(join(root, 'functions', name, version), { recursive: true });
  writeFileSync(join(root, 'functions', name, version, 'function.yaml'), text);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'baton-catalog-'));
  writeFunction(folder, 'greet', '1.0.0', GREET_SAFE);
  writeFunction(join(folder, 'team'), 'greet', '2.0.0', GREET_SAFE.replaceAll('Hi,', 'Welcome,'));
  writeFunction(folder, 'broken', '1.0.0', 'set: "${ .a + }"');
  const served: Record<string, string> = { '/catalog/functions/greet/1.0.0/function.yaml': GREET_SAFE.replaceAll('Hi,', 'Hello over HTTP,') };
  http = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      requests++;
      const text = served[new URL(request.url).pathname];
      return text === undefined ? new Response('no such function', { status: 404 }) : new Response(text);
    },
  });
  harness = await startHarness('catalog', { ...createCatalogFunctionActivities({ egress: LOOPBACK_ALLOWED, documentsDir: folder }) });
});

afterAll(async () => {
  await harness?.stop();
  http?.stop(true);
  rmSync(folder, { recursive: true, force: true });
});

const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';

function workflow(call: string, catalogs = ''): string {
  return `
document: { dsl: 1.0.3, namespace: test, name: catalog, version: 1.0.0, metadata: { activityOptions: { retryPolicy: { maximumAttempts: 1 } } } }
use:
  catalogs:
    web:
      endpoint: http://127.0.0.1:${http.port}/catalog
    team:
      endpoint:
        uri: file:///team
${catalogs}
do:
  - greet:
      call: ${call}
      with:
        name: '\${ .user }'
`;
}

const run = async (call: string) => (await harness.start(compileYaml(workflow(call), 'catalog.yaml'), { user: 'Ada' })).result();
const fail = async (call: string) => failureOf(await harness.start(compileYaml(workflow(call), 'catalog.yaml'), { user: 'Ada' }));

describe('cataloged functions', () => {
  test('from a catalog served over HTTP, with the call’s with as input', async () => {
    expect(await run('greet:1.0.0@web')).toEqual({ greeting: 'Hello over HTTP, Ada', length: 20 });
  });

  test('from a catalog in the documents folder, and from the runner’s default catalog', async () => {
    expect(await run('greet:2.0.0@team')).toEqual({ greeting: 'Welcome, Ada', length: 12 });
    expect(await run('greet:1.0.0@default')).toEqual({ greeting: 'Hi, Ada', length: 7 });
  });

  test('a definition that does not compile is a configuration error naming the problem', async () => {
    expect(await fail('broken:1.0.0@default')).toMatchObject({ type: `${ERRORS}configuration`, status: 400, title: 'Invalid catalog function', instance: '/do/0/greet' });
  });

  test('a function the catalog does not have: 404 from the folder, the HTTP status from a server', async () => {
    expect(await fail('absent:1.0.0@default')).toMatchObject({ type: `${ERRORS}configuration`, status: 404, instance: '/do/0/greet' });
    expect(await fail('absent:1.0.0@web')).toMatchObject({ type: `${ERRORS}communication`, status: 404, instance: '/do/0/greet' });
  });

  test('HTTP catalogs go through the egress policy', async () => {
    const { loadCatalogFunction } = createCatalogFunctionActivities();
    const before = requests;
    const request = { function: 'greet', version: '1.0.0', catalog: 'web', endpoint: `http://127.0.0.1:${http.port}/catalog`, dsl: '1.0.3', secrets: [], taskReference: '/do/0/x' };
    expect(await loadCatalogFunction(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
    expect(requests).toBe(before);
  });
});

test('GitHub page addresses are read from their raw form', () => {
  expect(functionAddress({ function: 'log', version: '1.0.0', endpoint: 'https://github.com/serverlessworkflow/catalog/tree/main' })).toBe(
    'https://raw.githubusercontent.com/serverlessworkflow/catalog/main/functions/log/1.0.0/function.yaml',
  );
  expect(functionAddress({ function: 'log', version: '1.0.0' })).toBe('file:///functions/log/1.0.0/function.yaml');
  // Functions named by URL: a file as is, `<base>/<name>@<version>` in the catalog layout under `<base>`.
  expect(functionAddress({ function: 'f', version: 'latest', url: 'https://example.com/fns/f.yaml' })).toBe('https://example.com/fns/f.yaml');
  expect(functionAddress({ function: 'validate', version: 'v1', url: 'https://github.com/myorg/functions/validate@v1' })).toBe(
    'https://raw.githubusercontent.com/myorg/functions/HEAD/validate/v1/function.yaml',
  );
});
