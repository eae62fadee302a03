/**
 * Nothing sensitive in history in clear, end to end: a runner with payload keys calls a server
 * that echoes the `$secrets` value it receives (header and body, as content, as a raw body, and a
 * `@base64`-transformed secret). The raw history, fetched without the codec, holds the secret in
 * no encoding; the caller's answer has it redacted; the codec endpoint decodes a payload of that
 * history for a holder of the bearer token, and refuses without it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { testTemporal } from '../../../test/temporal-env.ts';
import { ENCRYPTED_ENCODING, generateCodecKey } from '../../src/codec/index.ts';
import { BATON_SEARCH_ATTRIBUTE_NAMES } from '../../src/contract/index.ts';
import { LOOPBACK_ALLOWED } from '../interpreter/harness.ts';
import { startStack, uniqueName } from '../service/support/stack.ts';
import type { Stack } from '../service/support/stack.ts';

const SECRET = `s3cr3t-${crypto.randomUUID()}`;
const AUTH_TOKEN = `bearer-${crypto.randomUUID()}`;
const UI_ORIGIN = 'http://127.0.0.1:8233';

let echo: ReturnType<typeof Bun.serve>;
let stack: Stack;
let connection: Connection;
const received: string[] = [];

beforeAll(async () => {
  echo = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const token = request.headers.get('x-token') ?? '';
      const body = await request.text();
      received.push(token, body);
      return Response.json({ header: token, body });
    },
  });
  stack = await startStack({
    egress: LOOPBACK_ALLOWED,
    secrets: { file: {}, env: { APITOKEN: SECRET } },
    codecKeys: [generateCodecKey()],
    codecAddress: '127.0.0.1:0',
    codecCorsOrigins: [UI_ORIGIN],
    authToken: AUTH_TOKEN,
  });
  connection = await Connection.connect({ address: testTemporal().address });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await connection?.close();
  echo?.stop(true);
});

const document = (url: string) => `
document: { dsl: '1.0.0', namespace: test, name: echo-secrets, version: '1.0.0' }
use:
  secrets: [apiToken]
do:
  - asContent:
      call: http
      with:
        method: post
        endpoint: ${url}
        headers:
          x-token: \${ $secrets.apiToken }
        body:
          token: \${ $secrets.apiToken }
      export:
        as: '\${ $context + { content: . } }'
  - asRaw:
      call: http
      with:
        method: post
        endpoint: ${url}
        headers:
          x-token: \${ $secrets.apiToken }
        body: \${ "token=" + $secrets.apiToken }
        output: raw
      export:
        as: '\${ $context + { raw: . } }'
  - asBase64:
      call: http
      with:
        method: get
        endpoint: ${url}
        headers:
          x-token: \${ $secrets.apiToken | @base64 }
        output: response
      export:
        as: '\${ $context + { base64: . } }'
  - answer:
      set: '\${ $context }'
`;

/** The secret in every encoding worth looking for, base64 at each of its three alignments. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64url')];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Drop the characters that mix in neighbouring bytes: what remains appears whatever surrounds it.
    forms.push(shifted.slice(Math.ceil((shift * 4) / 3) + 1, -4));
  }
  // Base64 of the base64 the @base64 filter made, as a raw body would carry it.
  forms.push(Buffer.from(bytes.toString('base64')).toString('base64').slice(2, -6));
  return forms;
}

describe('an echoed secret', () => {
  let executionId: string;
  let history: temporal.api.history.v1.IHistory;

  beforeAll(async () => {
    executionId = uniqueName('echo');
    const execution = await stack.client.execute({ workflowExecutionId: executionId, workflowYaml: document(`${echo.url.origin}/echo`) });
    // The server really received (and echoed) the secret, in both forms.
    expect(received).toContain(SECRET);
    expect(received).toContain(Buffer.from(SECRET).toString('base64'));
    expect(JSON.stringify(execution)).toContain('***');
    history = await new Client({ connection, namespace: testTemporal().namespace }).workflow.getHandle(executionId).fetchHistory();
  }, 60_000);

  test('is in no encoding anywhere in the raw history', () => {
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    const json = JSON.stringify(temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.decode(Buffer.from(raw, 'latin1')), { bytes: String }));
    for (const form of encodings(SECRET)) {
      expect(raw).not.toContain(form);
      expect(json).not.toContain(form);
    }
  });

  test("every payload in the history is encrypted, but the SDK's own patch records and Baton's search attributes", () => {
    const encodingsSeen = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value instanceof Uint8Array) return;
      else if (typeof value === 'object' && value !== null) {
        const metadata = (value as { metadata?: Record<string, Uint8Array> }).metadata;
        if (metadata?.encoding && 'data' in value) encodingsSeen.add(new TextDecoder().decode(metadata.encoding));
        // Temporal indexes search attributes, so they cannot be encrypted: checked apart below.
        Object.entries(value).forEach(([key, field]) => key !== 'searchAttributes' && visit(field));
      }
    };
    const patchRecords: string[] = [];
    const batonRecords: string[] = [];
    const batonNames: readonly string[] = Object.values(BATON_SEARCH_ATTRIBUTE_NAMES);
    for (const event of history.events ?? []) {
      // patched() writes the patch id as a marker and as the TemporalChangeVersion search attribute.
      const marker = event.markerRecordedEventAttributes;
      const searchAttributes =
        event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ??
        event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ??
        {};
      if (marker?.markerName === 'core_patch') patchRecords.push(new TextDecoder().decode(marker.details?.['patch-data']?.payloads?.[0]?.data ?? undefined));
      else visit(event);
      for (const [name, payload] of Object.entries(searchAttributes)) {
        (batonNames.includes(name) ? batonRecords : patchRecords).push(`${name}=${new TextDecoder().decode(payload.data ?? undefined)}`);
      }
    }
    expect([...encodingsSeen]).toEqual([ENCRYPTED_ENCODING]);
    for (const record of patchRecords) expect(record).toMatch(/baton-[a-z-]+/);
    // Phase, callback state, document name and version: what visibility shows, never data.
    for (const record of batonRecords) expect(record).toMatch(/^(BatonPhase|BatonCallbackState)="[A-Z_]+"$|^BatonDocument(Version)?="[^"]*"$/);
    expect(batonRecords).toContain('BatonPhase="COMPLETED"');
  });

  test('is redacted in what the caller is answered, in every form the server echoed it', async () => {
    const execution = await stack.client.getExecution(executionId);
    const text = JSON.stringify(execution);
    for (const form of encodings(SECRET)) expect(text).not.toContain(form);
    const output = JSON.stringify(execution.output);
    expect(output).toContain('"header":"***"');
  });

  test('the codec endpoint decodes a payload of that history with the bearer token, and refuses without it', async () => {
    const runner = stack.runner;
    expect(runner.codecUrl).toBeDefined();
    const completed = history.events?.find((event) => event.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0];
    expect(payload).toBeDefined();
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(payload!.metadata ?? {}).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')])),
          data: Buffer.from(payload!.data!).toString('base64'),
        },
      ],
    });
    const headers = { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI_ORIGIN };
    const refused = await fetch(`${runner.codecUrl}/decode`, { method: 'POST', headers, body });
    expect(refused.status).toBe(401);
    const wrong = await fetch(`${runner.codecUrl}/decode`, { method: 'POST', headers: { ...headers, authorization: 'Bearer nope' }, body });
    expect(wrong.status).toBe(401);

    const decoded = await fetch(`${runner.codecUrl}/decode`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${AUTH_TOKEN}` }, body });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const { payloads } = (await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    const result = JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString()) as { output?: { content?: unknown } };
    expect(JSON.stringify(result)).toContain('"header":"***"');

    // The browser's preflight carries no credentials and gets the CORS answer; other origins get none.
    const preflight = await fetch(`${runner.codecUrl}/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const stranger = await fetch(`${runner.codecUrl}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});
