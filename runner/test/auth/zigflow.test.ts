/**
 * Authentication in Zigflow's dialect, on the real dev server. Zigflow itself has no
 * authentication policies (its schema has no `use` and an endpoint is only a `uri`; its HTTP
 * activity never reads `endpoint.authentication`): its documents authenticate with headers built
 * from `$env`. A dialect document that declares a policy runs it with Baton's machinery — the
 * only meaning it can have — with `$env` and `$secrets` readable in the policy, evaluated in the
 * activity so no credential reaches history.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createHttpActivities } from '../../src/activities/http.ts';
import { compileYaml, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';

const ENV_TOKEN = `env-${crypto.randomUUID()}`;
const SECRET_TOKEN = `secret-${crypto.randomUUID()}`;
let resource: ReturnType<typeof Bun.serve>;
let harness: Harness;

beforeAll(async () => {
  resource = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      const header = request.headers.get('authorization') ?? '';
      const accepted = header === `Bearer ${ENV_TOKEN}` ? 'env' : header === `Basic ${btoa(`ada:${SECRET_TOKEN}`)}` ? 'secret' : undefined;
      return accepted ? Response.json({ accepted }) : new Response('no', { status: 401 });
    },
  });
  const secrets = { file: { password: SECRET_TOKEN }, env: {} };
  harness = await startHarness('zigauth', { ...createHttpActivities({ secrets, egress: LOOPBACK_ALLOWED }) });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  resource?.stop(true);
});

const DOCUMENT = `document:
  dsl: 1.0.0
  taskQueue: test
  workflowType: zigflow-auth
  version: 1.0.0
use:
  secrets: [password]
  authentications:
    api:
      bearer:
        token: \${ $env.API_TOKEN }
do:
  - fromEnv:
      call: http
      with:
        method: get
        endpoint:
          uri: @@API@@/env
          authentication:
            use: api
  - fromSecret:
      call: http
      with:
        method: get
        endpoint:
          uri: @@API@@/secret
          authentication:
            basic:
              username: \${ $input.user }
              password: \${ if . == null then $secrets.password else "not the dialect" end }
  - result:
      set:
        env: \${ $data.fromEnv.accepted }
        secret: \${ $data.fromSecret.accepted }
`;

test('a policy in a dialect document authenticates, reading $env, $secrets, the workflow input as $input and a null `.`, and no secret value reaches history', async () => {
  const plan = compileYaml(DOCUMENT.replaceAll('@@API@@', resource.url.origin), 'zigflow-auth.yaml');
  const handle = await harness.start(plan, { user: 'ada' }, { env: { API_TOKEN: ENV_TOKEN } });
  expect(await handle.result()).toEqual({ env: 'env', secret: 'secret' });
  const history = JSON.stringify(await handle.fetchHistory());
  expect(history.includes(SECRET_TOKEN)).toBe(false);
});
