/**
 * Outbound HTTP under the egress policy. Bun's `fetch` resolves names itself and offers no hook
 * for the address it connects to (and serves `file://`), so requests go through node:http/https
 * with a `lookup` of our own: every address a name resolves to is checked and the connection can
 * only go to a checked one — a name that resolves differently the second time (DNS rebinding)
 * changes nothing. Literal IPs bypass `lookup` and are checked before connecting. Redirects are
 * followed here, each hop checked again. Measured on Bun 1.4.4: node:http and node:https call the
 * custom `lookup` with `{ all: true }`, and node:https verifies the certificate against the host
 * name (SNI), not the IP.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { checkAddress, checkUrl } from './policy.ts';
import type { EgressPolicy, EgressRefusal } from './policy.ts';

/** Resolves a host name to all its addresses; tests substitute one to play a rebinding DNS. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
  readonly code = 'EGRESS_REFUSED';
  constructor(readonly refusal: EgressRefusal, readonly url: URL) {
    super(refusal.message);
  }
}

export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';
  readonly code = 'TOO_MANY_REDIRECTS';
}

export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly code = 'RESPONSE_TOO_LARGE';
}

export interface EgressRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly body?: string;
  /** Follow 3xx answers (each hop re-checked); otherwise a 3xx is the answer. */
  readonly followRedirects: boolean;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal;
}

export interface EgressResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

const MAX_REDIRECTS = 20;
/** Headers that carry credentials for one origin and must not follow a redirect to another. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface EgressClient {
  request(url: URL, request: EgressRequest): Promise<EgressResponse>;
}

export function createEgressClient(policy: EgressPolicy, resolver: Resolver = systemResolver): EgressClient {
  return {
    async request(url, request) {
      let current = url;
      let method = request.method;
      let body = request.body;
      const headers = new Headers(request.headers);
      for (let hop = 0; ; hop++) {
        const response = await send(policy, resolver, current, { ...request, method, headers, ...(body === undefined ? {} : { body }) });
        const location = response.headers.get('location');
        if (!request.followRedirects || !isRedirect(response.status) || !location) return response;
        if (hop >= MAX_REDIRECTS) throw new TooManyRedirectsError(`more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(location, current);
        if (next.origin !== current.origin) for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
        // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          headers.delete('content-type');
          headers.delete('content-length');
        }
        current = next;
      }
    },
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function send(policy: EgressPolicy, resolver: Resolver, url: URL, request: EgressRequest): Promise<EgressResponse> {
  const { body } = request;
  const refusal = checkUrl(policy, url);
  if (refusal) throw new EgressRefusedError(refusal, url);
  const lookup = checkedLookup(policy, resolver, url);
  const transport = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = Object.fromEntries(request.headers.entries());
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<EgressResponse>((resolve, reject) => {
    const outgoing = transport.request(url, { method: request.method, headers, lookup }, (incoming) => {
      readResponse(incoming, request.maxResponseBytes).then(resolve, reject);
    });
    const abort = () => outgoing.destroy(request.signal?.reason instanceof Error ? request.signal.reason : new Error('aborted'));
    if (request.signal?.aborted) abort();
    request.signal?.addEventListener('abort', abort, { once: true });
    outgoing.on('close', () => request.signal?.removeEventListener('abort', abort));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A `lookup` for node:net that hands out only addresses the policy accepts, and fails otherwise. */
function checkedLookup(policy: EgressPolicy, resolver: Resolver, url: URL): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        // Every address is judged: a name with one public and one private record is refused whole.
        for (const { address } of addresses) {
          const refusal = checkAddress(policy, address);
          if (refusal) return callback(new EgressRefusedError({ ...refusal, message: `${hostname} resolves to ${refusal.message}` }, url), '');
        }
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        // node:net's callback is typed for one address; with `all` it takes the list.
        if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, all: readonly LookupAddress[]) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    );
  };
}

async function readResponse(incoming: IncomingMessage, maxBytes: number): Promise<EgressResponse> {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const declared = Number(headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    incoming.destroy();
    throw new ResponseTooLargeError(`the response declares ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      incoming.destroy();
      throw new ResponseTooLargeError(`the response is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return {
    status: incoming.statusCode ?? 0,
    statusText: incoming.statusMessage ?? '',
    headers,
    body: decodeContent(headers, Buffer.concat(chunks), maxBytes),
  };
}

/** Bodies a server compressed anyway (none is asked for), bounded like the raw body. */
function decodeContent(headers: Headers, bytes: Buffer, maxBytes: number): Uint8Array {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  const options = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes, options);
    if (encoding === 'deflate') return inflateSync(bytes, options);
    if (encoding === 'br') return brotliDecompressSync(bytes, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ResponseTooLargeError(`the decoded response is larger than ${maxBytes} bytes`);
    throw error;
  }
  return bytes;
}
