/**
 * The `call: http` activity: one fetch per attempt. Statuses outside 2xx (and 3xx when redirects
 * are not followed) become the spec's communication error carrying the status; 408, 429 and 5xx
 * are retryable by the activity retry policy (honouring `Retry-After`), other 4xx are final.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowError } from '../workflow/contract.ts';
import type { HttpCallRequest, HttpResponseOutput } from './http/request.ts';

const COMMUNICATION_ERROR = 'https://serverlessworkflow.io/spec/1.0.0/errors/communication';
/** Response bodies beyond this are refused rather than pushed into workflow history. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_DETAIL_CHARS = 500;
/** Heartbeats are what deliver a cancellation to a running activity; the fetch is then aborted. */
const HEARTBEAT_EVERY_MS = 1_000;

export async function httpCall(request: HttpCallRequest): Promise<unknown> {
  const activity = activityContext();
  if (!activity) return perform(request);
  const heartbeat = setInterval(() => activity.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await perform(request, activity.cancellationSignal);
  } finally {
    clearInterval(heartbeat);
  }
}

/** The activity context, or undefined when called directly (tests, local tools). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

async function perform(request: HttpCallRequest, signal?: AbortSignal): Promise<unknown> {
  const url = buildUrl(request);
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
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method.toUpperCase(),
      headers,
      body,
      redirect: request.redirect ? 'follow' : 'manual',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    throw communicationFailure(request, {
      status: 503,
      title: 'Service unreachable',
      detail: `${request.method.toUpperCase()} ${url}: ${(error as Error).message}`,
      retryable: true,
    });
  }
  const bytes = await readBody(response, request, url).catch((error: unknown) => {
    throw signal?.aborted ? (signal.reason ?? error) : error;
  });
  const acceptable = response.ok || (!request.redirect && response.status >= 300 && response.status < 400);
  if (!acceptable) {
    const text = new TextDecoder().decode(bytes);
    throw communicationFailure(request, {
      status: response.status,
      title: response.statusText || `HTTP ${response.status}`,
      detail: `${request.method.toUpperCase()} ${url} answered ${response.status}${text ? `: ${text.slice(0, MAX_DETAIL_CHARS)}` : ''}`,
      retryable: isRetryableStatus(response.status),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
  return formatOutput(request, url, response, bytes);
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unparseable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function buildUrl(request: HttpCallRequest): string {
  let url: URL;
  try {
    url = new URL(request.uri);
  } catch {
    throw ApplicationFailure.create({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration',
      message: `'${request.uri}' is not an absolute URL`,
      nonRetryable: true,
      details: [
        {
          type: 'https://serverlessworkflow.io/spec/1.0.0/errors/configuration',
          status: 400,
          title: 'Invalid endpoint',
          detail: `'${request.uri}' is not an absolute URL`,
          instance: request.taskReference,
        } satisfies WorkflowError,
      ],
    });
  }
  for (const [name, value] of Object.entries(request.query)) url.searchParams.append(name, value);
  return url.toString();
}

async function readBody(response: Response, request: HttpCallRequest, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(request, url);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_RESPONSE_BYTES) throw tooLarge(request, url);
  return bytes;
}

function tooLarge(request: HttpCallRequest, url: string): ApplicationFailure {
  return communicationFailure(request, {
    status: 502,
    title: 'Response too large',
    detail: `${request.method.toUpperCase()} ${url} returned more than ${MAX_RESPONSE_BYTES} bytes`,
    retryable: false,
  });
}

function formatOutput(request: HttpCallRequest, url: string, response: Response, bytes: Uint8Array): unknown {
  if (request.output === 'raw') return Buffer.from(bytes).toString('base64');
  const content = decodeContent(response.headers.get('content-type'), bytes);
  if (request.output === 'content') return content;
  const output: HttpResponseOutput = {
    request: { method: request.method.toUpperCase(), uri: url, headers: { ...request.headers } },
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
  const error: WorkflowError = {
    type: COMMUNICATION_ERROR,
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    instance: request.taskReference,
  };
  return ApplicationFailure.create({
    type: COMMUNICATION_ERROR,
    message: problem.detail,
    nonRetryable: !problem.retryable,
    details: [error],
    ...(problem.retryable && problem.retryAfterMs !== undefined ? { nextRetryDelay: problem.retryAfterMs } : {}),
  });
}
