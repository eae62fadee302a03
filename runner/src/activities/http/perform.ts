/**
 * One HTTP request under the egress policy, answered as the spec's call output or failed with its
 * communication error: statuses outside 2xx (and 3xx when redirects are not followed) carry the
 * status; 408, 429 and 5xx are retryable (honouring `Retry-After`), other 4xx are final. Used by
 * `call: http` and `call: openapi`.
 */
import type { ApplicationFailure } from '@temporalio/common';
import type { HttpCallRequest, HttpResponseOutput } from '../../contract/index.ts';
import { MASK, NOTHING_MASKED } from './secret-fields.ts';
import type { Masked } from './secret-fields.ts';
import { EgressRefusedError, ResponseTooLargeError, TooManyRedirectsError } from '../../egress/index.ts';
import type { EgressClient, EgressResponse } from '../../egress/index.ts';
import { callFailure, isRetryableStatus, retryAfterMs } from '../call-policy.ts';
import type { Authorization } from '../auth/index.ts';

/** Response bodies beyond this are refused rather than pushed into workflow history. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_DETAIL_CHARS = 500;

export async function performHttpRequest(
  client: EgressClient,
  request: HttpCallRequest,
  masked: Masked,
  signal?: AbortSignal,
  authorization?: Authorization,
  credentials: string[] = [],
): Promise<unknown> {
  // `shown` is the URL as errors and the output may show it: secret-derived parts are `***`.
  const { url, shown } = buildUrl(request, masked);
  const headers = new Headers(request.headers);
  let body: string | undefined;
  if (request.body !== undefined && request.body !== null) {
    if (typeof request.body === 'string') {
      body = request.body;
    } else {
      body = JSON.stringify(request.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  const method = request.method.toUpperCase();
  const send = (authorizationHeader: string | undefined) => {
    const sent = new Headers(headers);
    if (authorizationHeader !== undefined) sent.set('authorization', authorizationHeader);
    return client.request(url, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body }),
      followRedirects: request.redirect,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      ...(signal ? { signal } : {}),
    });
  };
  let response: EgressResponse;
  try {
    response = await send(authorization?.header);
    if (response.status === 401 && authorization) {
      const retry = await answerUnauthorized(authorization, response, method, url, credentials);
      if (retry !== undefined) response = await send(retry);
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof EgressRefusedError) {
      // The refused address is named only when nothing about the request is secret.
      throw communicationFailure(request, {
        status: 403,
        title: 'Refused by the egress policy',
        detail: `${method} ${shown}: ${masked === NOTHING_MASKED ? error.message : `a ${error.refusal.reason} destination, refused by the egress policy`}`,
        retryable: false,
      });
    }
    if (error instanceof ResponseTooLargeError) throw tooLarge(request, shown);
    if (error instanceof TooManyRedirectsError) {
      throw communicationFailure(request, { status: 508, title: 'Too many redirects', detail: `${method} ${shown}: ${error.message}`, retryable: false });
    }
    throw communicationFailure(request, {
      status: 503,
      title: 'Service unreachable',
      detail: `${method} ${shown}: ${masked === NOTHING_MASKED ? (error as Error).message : errorCode(error)}`,
      retryable: true,
    });
  }
  const { body: bytes } = response;
  const acceptable = (response.status >= 200 && response.status < 300) || (!request.redirect && response.status >= 300 && response.status < 400);
  if (!acceptable) {
    const text = new TextDecoder().decode(bytes);
    throw communicationFailure(request, {
      status: response.status,
      title: response.statusText || `HTTP ${response.status}`,
      detail: `${method} ${shown} answered ${response.status}${text ? `: ${text.slice(0, MAX_DETAIL_CHARS)}` : ''}`,
      retryable: isRetryableStatus(response.status),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
  return formatOutput(request, shown, masked, response, bytes);
}

/**
 * One more attempt after a `401`, when the policy can answer it: digest answers the challenge, a
 * cached OAuth2 token the resource refused is replaced by a fresh one. Undefined when it cannot.
 */
async function answerUnauthorized(authorization: Authorization, response: EgressResponse, method: string, url: URL, credentials: string[]): Promise<string | undefined> {
  const challenge = response.headers.get('www-authenticate');
  if (authorization.answer) return challenge ? authorization.answer(challenge, method, `${url.pathname}${url.search}`) : undefined;
  if (!authorization.renew) return undefined;
  const renewed = await authorization.renew();
  credentials.push(...renewed.secrets);
  return renewed.header;
}

/** A request error's code alone: its message might quote the URL, and the URL may hold a secret. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'request failed';
}

function buildUrl(request: HttpCallRequest, masked: Masked): { url: URL; shown: string } {
  let url: URL;
  try {
    url = new URL(request.uri);
  } catch {
    const problem = masked.endpoint ? 'the endpoint (it reads secrets) is not an absolute URL' : `'${request.uri}' is not an absolute URL`;
    throw callFailure({ kind: 'configuration', status: 400, title: 'Invalid endpoint', detail: problem, instance: request.taskReference });
  }
  // An endpoint computed from secrets is shown as `***` whole, whatever part of it held the secret.
  const shown = new URL(masked.endpoint ? 'http://masked' : url);
  for (const [name, value] of Object.entries(request.query)) {
    url.searchParams.append(name, value);
    shown.searchParams.append(name, masked.query.has(name) ? MASK : value);
  }
  return { url, shown: masked.endpoint ? `${MASK}${shown.search}` : shown.toString() };
}

function tooLarge(request: HttpCallRequest, url: string): ApplicationFailure {
  return communicationFailure(request, {
    status: 502,
    title: 'Response too large',
    detail: `${request.method.toUpperCase()} ${url} returned more than ${MAX_RESPONSE_BYTES} bytes`,
    retryable: false,
  });
}

/** What the server answered is returned as is; what the request carried from secrets is masked. */
function formatOutput(request: HttpCallRequest, shown: string, masked: Masked, response: EgressResponse, bytes: Uint8Array): unknown {
  if (request.output === 'raw') return Buffer.from(bytes).toString('base64');
  const content = decodeContent(response.headers.get('content-type'), bytes);
  if (request.output === 'content') return content;
  const output: HttpResponseOutput = {
    request: {
      method: request.method.toUpperCase(),
      uri: shown,
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, masked.headers.has(name) ? MASK : value])),
    },
    statusCode: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    content,
  };
  return output;
}

/** JSON bodies are parsed; other text stays a string; an empty body is null. */
function decodeContent(contentType: string | null, bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  const text = new TextDecoder().decode(bytes);
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function communicationFailure(
  request: HttpCallRequest,
  problem: { status: number; title: string; detail: string; retryable: boolean; retryAfterMs?: number },
): ApplicationFailure {
  return callFailure({ kind: 'communication', instance: request.taskReference, ...problem });
}
