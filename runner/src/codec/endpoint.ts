/**
 * The codec endpoint: the Temporal Web UI's (and `temporal --codec-endpoint`'s) remote codec
 * protocol, so people allowed to see payloads can read them decrypted. POST /encode and
 * POST /decode take and give `{ "payloads": [{ "metadata": { name: base64 }, "data": base64 }] }`.
 * Behind the runner's bearer token when one is set; CORS only for the configured UI origins.
 * Not started unless `--codec-address` is set (local mode starts it on loopback).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { bearerMatches, limitBody, UNLIMITED_BODY } from '../http/index.ts';

export interface CodecEndpointOptions {
  /** host:port; port 0 picks a free one. */
  readonly address: string;
  readonly codec: PayloadCodec;
  /** When set, every request must carry `authorization: Bearer <token>`. */
  readonly authToken?: string;
  /** Browser origins (e.g. the Web UI's) allowed to call the endpoint. */
  readonly corsOrigins: readonly string[];
  /** Largest accepted request body. */
  readonly maxBodyBytes: number;
}

export interface CodecEndpoint {
  /** Base URL, e.g. http://127.0.0.1:8234. */
  readonly url: string;
  stop(): Promise<void>;
}

type JsonPayload = { readonly metadata?: Record<string, string>; readonly data?: string };

export function startCodecEndpoint(options: CodecEndpointOptions): CodecEndpoint {
  const separator = options.address.lastIndexOf(':');
  const hostname = options.address.slice(0, separator).replace(/^\[|\]$/g, '');
  const expected = options.authToken === undefined ? undefined : Buffer.from(`Bearer ${options.authToken}`);
  const server = Bun.serve({
    hostname,
    port: Number(options.address.slice(separator + 1)),
    maxRequestBodySize: UNLIMITED_BODY,
    fetch: async (received) => {
      const cors = corsHeaders(received.headers.get('origin'), options.corsOrigins);
      const answer = (status: number, body: unknown) => Response.json(body, { status, headers: cors });
      if (received.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
      const { pathname } = new URL(received.url);
      const operation = pathname.replace(/\/+$/, '').split('/').pop();
      if (received.method !== 'POST' || (operation !== 'encode' && operation !== 'decode')) {
        return answer(404, { message: 'POST /encode or /decode' });
      }
      if (expected && !bearerMatches(received.headers.get('authorization'), expected)) {
        return answer(401, { message: 'this codec endpoint needs `authorization: Bearer <token>` (the runner’s --auth-token)' });
      }
      const body = await limitBody(received, options.maxBodyBytes, cors);
      if (!body.ok) return body.response;
      let payloads: Payload[];
      try {
        payloads = readPayloads(await body.request.json());
      } catch (error) {
        return answer(400, { message: `the body must be {"payloads": [...]} with base64 metadata and data: ${(error as Error).message}` });
      }
      try {
        const result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
        return answer(200, { payloads: result.map(writePayload) });
      } catch (error) {
        return answer(422, { message: (error as Error).message });
      }
    },
  });
  return { url: `http://${server.hostname?.includes(':') ? `[${server.hostname}]` : server.hostname}:${server.port}`, stop: () => server.stop(true) };
}

function corsHeaders(origin: string | null, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-namespace, authorization',
    'access-control-allow-credentials': 'true',
    vary: 'origin',
  };
}

function readPayloads(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new Error('no payloads array');
  return list.map((item: unknown) => {
    const { metadata, data } = (item ?? {}) as JsonPayload;
    return {
      metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([name, value]) => [name, base64Bytes(value)])),
      data: base64Bytes(data ?? ''),
    };
  });
}

function base64Bytes(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new Error('metadata values and data must be base64 strings');
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function writePayload(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
