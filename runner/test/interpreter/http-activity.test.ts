/**
 * The HTTP activity on its own against a real local server: request building, output formats,
 * and how statuses map to the spec's communication error and to Temporal retryability.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpActivities, MAX_RESPONSE_BYTES, retryAfterMs } from '../../src/activities/http.ts';
import type { HttpCallRequest } from '../../src/contract/index.ts';
import { startHttpFixture } from './http-fixture.ts';
import type { HttpFixture } from './http-fixture.ts';
import { LOOPBACK_ALLOWED } from './harness.ts';

const { httpCall } = createHttpActivities({ egress: LOOPBACK_ALLOWED });

let http: HttpFixture;
let big: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  http = startHttpFixture();
  big = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('x'.repeat(MAX_RESPONSE_BYTES + 10)) });
});
afterAll(() => {
  http.stop();
  big.stop(true);
});

const request = (overrides: Partial<HttpCallRequest>): HttpCallRequest => ({
  method: 'get',
  uri: `${http.baseUrl}/pets/1`,
  headers: {},
  query: {},
  output: 'content',
  redirect: false,
  taskReference: '/do/0/call',
  ...overrides,
});

async function failure(overrides: Partial<HttpCallRequest>): Promise<ApplicationFailure> {
  const error = await httpCall(request(overrides)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('httpCall', () => {
  test('content output parses JSON bodies', async () => {
    expect(await httpCall(request({}))).toEqual({ id: 1, name: 'Rex', status: 'available' });
  });

  test('response output carries request, status, headers and content', async () => {
    const output = (await httpCall(request({ output: 'response', headers: { 'x-a': 'b' } }))) as Record<string, unknown>;
    expect(output).toMatchObject({
      request: { method: 'GET', uri: `${http.baseUrl}/pets/1`, headers: { 'x-a': 'b' } },
      statusCode: 200,
      content: { name: 'Rex' },
    });
    expect((output.headers as Record<string, string>)['content-type']).toContain('application/json');
  });

  test('raw output is the base64 body and text stays text', async () => {
    expect(await httpCall(request({ uri: `${http.baseUrl}/text`, output: 'raw' }))).toBe(btoa('plain words'));
    expect(await httpCall(request({ uri: `${http.baseUrl}/text` }))).toBe('plain words');
  });

  test('query, headers and a JSON body are sent', async () => {
    const output = await httpCall(
      request({
        method: 'put',
        uri: `${http.baseUrl}/echo?keep=1`,
        query: { page: '3' },
        headers: { 'x-baton-test': 'yes' },
        body: { a: [1, 2] },
      }),
    );
    expect(output).toEqual({
      method: 'PUT',
      query: { keep: '1', page: '3' },
      header: 'yes',
      contentType: 'application/json',
      body: { a: [1, 2] },
    });
  });

  test('404 is a non-retryable communication error with the status and task reference', async () => {
    const error = await failure({ uri: `${http.baseUrl}/pets/999` });
    expect(error.type).toBe('https://serverlessworkflow.io/spec/1.0.0/errors/communication');
    expect(error.nonRetryable).toBe(true);
    expect(error.details?.[0]).toMatchObject({ status: 404, instance: '/do/0/call' });
  });

  test.each([408, 429, 500, 503])('%i is retryable', async (status) => {
    const error = await failure({ uri: `${http.baseUrl}/status/${status}` });
    expect(error.nonRetryable).toBe(false);
    expect(error.details?.[0]).toMatchObject({ status });
  });

  test.each([400, 401, 403, 409, 422])('%i is not retryable', async (status) => {
    expect((await failure({ uri: `${http.baseUrl}/status/${status}` })).nonRetryable).toBe(true);
  });

  test('Retry-After becomes the next retry delay', async () => {
    const error = await failure({ uri: `${http.baseUrl}/retry-after/activity-test` });
    expect(error.details?.[0]).toMatchObject({ status: 429 });
    expect(error.nextRetryDelay).toBe(1000);
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  test('redirects are followed only when asked', async () => {
    expect(await httpCall(request({ uri: `${http.baseUrl}/redirect`, redirect: true }))).toMatchObject({ name: 'Rex' });
    const output = (await httpCall(request({ uri: `${http.baseUrl}/redirect`, output: 'response' }))) as { statusCode: number };
    expect(output.statusCode).toBe(302);
  });

  test('an unreachable host is a retryable communication error', async () => {
    const error = await failure({ uri: 'http://127.0.0.1:1/nothing' });
    expect(error.nonRetryable).toBe(false);
    expect(error.details?.[0]).toMatchObject({ status: 503 });
  });

  test('a relative or malformed URI is a non-retryable configuration error', async () => {
    const error = await failure({ uri: '/pets/1' });
    expect(error.type).toBe('https://serverlessworkflow.io/spec/1.0.0/errors/configuration');
    expect(error.nonRetryable).toBe(true);
  });

  test('a response larger than the limit is refused', async () => {
    const error = await failure({ uri: `http://127.0.0.1:${big.port}/` });
    expect(error.details?.[0]).toMatchObject({ status: 502, title: 'Response too large' });
    expect(error.nonRetryable).toBe(true);
  });
});
