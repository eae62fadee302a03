/**
 * `$secrets` end to end on the real dev server: a workflow calls a local HTTP server with secrets
 * in its endpoint, headers, query and body; the server checks them; then the whole workflow history
 * is searched for the secret values (raw, percent-, form- and base64-encoded) and must not hold them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ApplicationFailure } from '@temporalio/common';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startRunner } from '../../src/runner.ts';
import { createHttpActivities } from '../../src/activities/http.ts';
import { INTERPRETER_WORKFLOW_TYPE } from '../../src/contract/index.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness, type Harness } from './harness.ts';
import { historyText } from '../auth/history-text.ts';

const API_TOKEN = `tok-${crypto.randomUUID()}`;
const REGION = `eu west/${crypto.randomUUID().slice(0, 8)}`;
const SECRETS = [API_TOKEN, REGION];

let server: ReturnType<typeof Bun.serve>;
let harness: Harness;
const seen: { authorization: string | null; region: string | null; sig: string | null; body: unknown }[] = [];

beforeAll(async () => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url);
      const authorization = request.headers.get('authorization');
      const body = request.method === 'POST' ? await request.json() : null;
      seen.push({ authorization, region: url.searchParams.get('region'), sig: url.searchParams.get('sig'), body });
      if (url.pathname === '/echo-unauthorized') {
        // A careless server that echoes the credential back in its error body.
        return new Response(`bad credentials: ${authorization} for ${url.search}`, { status: 401 });
      }
      if (authorization !== `Bearer ${API_TOKEN}`) return new Response('unauthorized', { status: 401 });
      return Response.json({ user: url.pathname.split('/').pop(), greeting: 'welcome' });
    },
  });
  // Secret values go through the real configuration path: environment and a secrets file.
  const loaded = loadConfig({ argv: [], env: { BATON_SECRET_APITOKEN: API_TOKEN, BATON_SECRET_REGION: REGION } });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  harness = await startHarness('secrets', { ...createHttpActivities({ secrets: loaded.config.secrets, egress: LOOPBACK_ALLOWED }) });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  server?.stop(true);
});

const document = (name: string, secrets: string, tasks: string) => `document:
  dsl: '1.0.0'
  namespace: secrets
  name: ${name}
  version: '1.0.0'
use:
  secrets: [${secrets}]
do:
${tasks}`;

async function start(yaml: string, input: unknown) {
  return harness.start(compileYaml(yaml.replaceAll('@@HTTP@@', server.url.origin), 'secrets.yaml'), input);
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) {
    // A prefix too: jq's error messages quote values abbreviated.
    for (const form of [secret.slice(0, 12), encodeURIComponent(secret), encodeURI(secret), new URLSearchParams({ v: secret }).toString().slice(2), btoa(secret)]) {
      expect(text).not.toContain(form);
    }
  }
}

describe('$secrets', () => {
  test('the HTTP server receives the secrets; the history never holds them', async () => {
    const handle = await start(
      document(
        'call-with-secrets',
        'apiToken, region',
        `  - remember:
      set:
        user: ada
      export:
        as: '\${ {tenant: "acme"} }'
  - fetch:
      for:
        in: '\${ [.user] }'
        each: who
      do:
        - call:
            call: http
            with:
              method: post
              endpoint: '\${ "@@HTTP@@/users/" + $who + "?region=" + $secrets.region }'
              headers:
                authorization: \${ "Bearer " + $secrets.apiToken }
                x-tenant: \${ $context.tenant }
              query:
                sig: \${ $secrets.apiToken | ascii_upcase }
              body:
                token: \${ $secrets.apiToken }
                who: \${ $who }
                now: \${ now | type }
              output: response
`,
      ),
      {},
    );
    const output = (await handle.result()) as { request: { uri: string; headers: Record<string, string> }; statusCode: number; content: unknown };

    const call = seen.at(-1)!;
    expect(call).toEqual({
      authorization: `Bearer ${API_TOKEN}`,
      region: REGION,
      sig: API_TOKEN.toUpperCase(),
      body: { token: API_TOKEN, who: 'ada', now: 'number' },
    });
    // What the server answered comes back; request parts computed from secrets are masked whole.
    expect(output.statusCode).toBe(200);
    expect(output.content).toEqual({ user: 'ada', greeting: 'welcome' });
    expect(output.request.headers).toEqual({ authorization: '***', 'x-tenant': 'acme' });
    // The endpoint was computed from a secret, so all of it is masked; the secret query value too.
    expect(output.request.uri).toBe('***?sig=***');

    const text = await historyText(harness.client, handle.workflowId);
    // The templates and the non-secret bindings are in history; the values are not.
    expect(text).toContain('$secrets.apiToken');
    expect(text).toContain('acme');
    expectNoSecret(text);
    // The scan would find a secret if one were there (the uppercase query value is a secret too).
    expect(API_TOKEN.toUpperCase()).not.toBe(API_TOKEN);
    expect(text).not.toContain(API_TOKEN.toUpperCase());
  });

  test("a server that echoes the credential in its error: the failure carries '***', never the value", async () => {
    const handle = await start(
      document(
        'echoed-error',
        'apiToken',
        `  - call:
      call: http
      with:
        method: get
        endpoint: @@HTTP@@/echo-unauthorized
        headers:
          authorization: \${ "Bearer " + $secrets.apiToken }
        query:
          token: \${ $secrets.apiToken }
`,
      ),
      null,
    );
    const error = await failureOf(handle);
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication', status: 401, instance: '/do/0/call' });
    expect(error.detail).toContain('bad credentials: Bearer *** for ?token=***');
    expect(seen.at(-1)!.authorization).toBe(`Bearer ${API_TOKEN}`);
    expectNoSecret(await historyText(harness.client, handle.workflowId));
  });

  test('a secret the runner does not hold fails at once with a configuration error naming it', async () => {
    const before = seen.length;
    const handle = await start(
      document(
        'missing-secret',
        'apiToken, other',
        `  - call:
      call: http
      with:
        method: get
        endpoint: @@HTTP@@/users/x
        headers:
          authorization: \${ $secrets.apiToken + $secrets.other }
`,
      ),
      null,
    );
    const error = await failureOf(handle);
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration', status: 400, title: 'Secret not configured' });
    expect(error.detail).toContain("'other' (BATON_SECRET_OTHER or the secrets file)");
    expect(error.detail).not.toContain('apiToken');
    expect(seen.length).toBe(before);
    expectNoSecret(await historyText(harness.client, handle.workflowId));
  });

  test('an expression error that would print a secret is redacted', async () => {
    const handle = await start(
      document(
        'expression-error',
        'apiToken',
        `  - call:
      call: http
      with:
        method: get
        endpoint: @@HTTP@@/users/x
        headers:
          authorization: \${ $secrets.apiToken + 1 }
`,
      ),
      null,
    );
    const error = await failureOf(handle);
    expect(error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/expression', status: 400 });
    expect(error.detail).toBe('JQ_RUNTIME in ${ $secrets.apiToken + 1 } (the message is withheld: it may quote a secret)');
    expectNoSecret(await historyText(harness.client, handle.workflowId));
  });
});

describe('startRunner', () => {
  test('a runner started from its configuration (secrets file) serves secrets to its HTTP activity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ apiToken: API_TOKEN }));
    const { address, namespace } = testTemporal();
    const queue = uniqueTaskQueue('secrets-runner');
    const loaded = loadConfig({ argv: ['--secrets-file', file, '--egress-allow', 'loopback', '--task-queue', queue, '--temporal-address', address, '--temporal-namespace', namespace], env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const runner = await startRunner(loaded.config, { role: 'worker', log: { info: () => undefined, warn: () => undefined } });
    try {
      const plan = compileYaml(
        document(
          'runner-wiring',
          'apiToken',
          `  - call:
      call: http
      with:
        method: get
        endpoint: ${server.url.origin}/users/grace
        headers:
          authorization: \${ "Bearer " + $secrets.apiToken }
`,
        ),
        'runner-wiring.yaml',
      );
      const executionId = `secrets-runner-${crypto.randomUUID()}`;
      const handle = await harness.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue: queue, workflowId: executionId, args: [{ executionId, plan, input: null }] });
      expect(await handle.result()).toEqual({ user: 'grace', greeting: 'welcome' });
      expectNoSecret(await historyText(harness.client, executionId));
    } finally {
      await runner.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the HTTP activity alone', () => {
  test('an unreachable endpoint computed from a secret is reported by error code, never by message or URL', async () => {
    const { httpCall } = createHttpActivities({ secrets: { file: { host: '127.0.0.1:9' }, env: {} }, egress: LOOPBACK_ALLOWED });
    const error = await httpCall({
      method: 'get',
      uri: '',
      headers: {},
      query: {},
      output: 'content',
      redirect: false,
      taskReference: '/do/0/call',
      secretFields: { endpoint: { kind: 'expr', expr: { jq: '"http://" + $secrets.host + "/x"' } }, data: null, variables: {}, now: 0, declared: ['host'] },
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.message).toMatch(/^GET \*\*\*: [A-Za-z]+$/);
    expect(failure.nonRetryable).toBe(false);
    expect(JSON.stringify([failure.message, failure.details, failure.stack])).not.toContain('127.0.0.1:9');
  });
});
