/**
 * The `call: http` activity: one request per attempt, through the egress policy (../egress). Statuses outside 2xx (and 3xx when redirects
 * are not followed) become the spec's communication error carrying the status; 408, 429 and 5xx
 * are retryable by the activity retry policy (honouring `Retry-After`), other 4xx are final.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { problemFailure, StandardError } from '../contract/index.ts';
import type { HttpActivities, HttpCallRequest, HttpResponseOutput, WorkflowError } from '../contract/index.ts';
import { MASK, NOTHING_MASKED, resolveSecretFields } from './http/secret-fields.ts';
import type { Masked, ResolvedRequest } from './http/secret-fields.ts';
import { NO_SECRETS, secretRedactor } from './http/secrets.ts';
import { createAuthenticator } from './auth/index.ts';
import type { Authorization } from './auth/index.ts';
import type { SecretValues } from './http/secrets.ts';
import { createEgressClient, EgressRefusedError, PUBLIC_ONLY, ResponseTooLargeError, TooManyRedirectsError } from '../egress/index.ts';
import type { EgressClient, EgressPolicy, EgressResponse, Resolver } from '../egress/index.ts';

/** Response bodies beyond this are refused rather than pushed into workflow history. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_DETAIL_CHARS = 500;
/** Heartbeats are what deliver a cancellation to a running activity; the request is then aborted. */
const HEARTBEAT_EVERY_MS = 1_000;

export interface HttpActivityOptions {
  /** Values for `$secrets`; none by default. */
  readonly secrets?: SecretValues;
  /** Where calls may go; public addresses only by default. */
  readonly egress?: EgressPolicy;
  /** How host names are resolved; tests substitute one to play a rebinding DNS. */
  readonly resolver?: Resolver;
  /** Epoch milliseconds for token lifetimes; tests move it to expire tokens. */
  readonly now?: () => number;
}

/**
 * The activities for a runner holding these secret values and egress policy. Arguments that read
 * `$secrets` arrive as templates and are evaluated here; every failure and response text the
 * activity returns has the secret values cut out. Every call goes through the egress policy.
 */
export function createHttpActivities(options: HttpActivityOptions = {}): HttpActivities {
  const secrets = options.secrets ?? NO_SECRETS;
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver);
  const authenticator = createAuthenticator({ secrets, client, ...(options.now ? { now: options.now } : {}) });
  return {
    async httpCall(request: HttpCallRequest): Promise<unknown> {
      const activity = activityContext();
      if (!request.secretFields && !request.authentication) return run(client, request, NOTHING_MASKED, undefined, activity);
      let resolved: ResolvedRequest | undefined;
      // Credentials and tokens the call used, renewed ones included: cut out of what it returns.
      const credentials: string[] = [];
      let cut: { readonly count: number; readonly redact: (text: string) => string } | undefined;
      const redact = (text: string) => {
        if (cut?.count !== credentials.length) cut = { count: credentials.length, redact: secretRedactor(credentials) };
        return cut.redact(resolved?.redact(text) ?? text);
      };
      try {
        resolved = resolveSecretFields(request, secrets);
        const { authentication } = request;
        const authorize = authentication
          ? async () => {
              const authorization = await authenticator.authorize(authentication, request.taskReference, {
                ...(activity ? { signal: activity.cancellationSignal } : {}),
                onCredentials: (values) => credentials.push(...values),
              });
              credentials.push(...authorization.secrets);
              return authorization;
            }
          : undefined;
        return redactOutput(await run(client, resolved.request, resolved.masked, authorize, activity, credentials), request.output, redact);
      } catch (error) {
        if (activity?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, redact);
      }
    },
  };
}

/** The activity without secret values (a request that reads one fails with a configuration error), public addresses only. */
export const { httpCall } = createHttpActivities();

/** Gets the call's authorization (a token request, maybe) and performs it, heartbeating throughout. */
async function run(
  client: EgressClient,
  request: HttpCallRequest,
  masked: Masked,
  authorize: (() => Promise<Authorization>) | undefined,
  activity: Context | undefined,
  credentials: string[] = [],
): Promise<unknown> {
  const heartbeat = activity ? setInterval(() => activity.heartbeat(), request.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS) : undefined;
  try {
    const authorization = authorize ? await authorize() : undefined;
    return await perform(client, request, masked, authorization, credentials, activity?.cancellationSignal);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

/**
 * A failure rebuilt with secret values cut out of its message and details. Rebuilt rather than
 * edited: the original's stack trace (which Temporal records) starts with the original message.
 */
function redactFailure(error: unknown, redact: (text: string) => string): ApplicationFailure {
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: error.type ?? 'Error',
      message: redact(error.message),
      nonRetryable: error.nonRetryable ?? false,
      details: error.details?.map((detail) => redactDeep(detail, redact)),
      ...(error.nextRetryDelay !== undefined && error.nextRetryDelay !== null ? { nextRetryDelay: error.nextRetryDelay } : {}),
    });
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return ApplicationFailure.create({ type: plain.name, message: redact(plain.message) });
}

/**
 * A response to a request that carried secrets, with them cut out wherever a server echoed them.
 * A raw body is redacted as bytes (its Latin-1 view), since its base64 hides the secret at any offset.
 */
function redactOutput(output: unknown, format: HttpCallRequest['output'], redact: (text: string) => string): unknown {
  if (format === 'raw' && typeof output === 'string') {
    return Buffer.from(redact(Buffer.from(output, 'base64').toString('latin1')), 'latin1').toString('base64');
  }
  return redactDeep(output, redact);
}

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)]));
  }
  return value;
}

/** The activity context, or undefined when called directly (tests, local tools). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

async function perform(
  client: EgressClient,
  request: HttpCallRequest,
  masked: Masked,
  authorization: Authorization | undefined,
  credentials: string[],
  signal?: AbortSignal,
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

function buildUrl(request: HttpCallRequest, masked: Masked): { url: URL; shown: string } {
  let url: URL;
  try {
    url = new URL(request.uri);
  } catch {
    const problem = masked.endpoint ? 'the endpoint (it reads secrets) is not an absolute URL' : `'${request.uri}' is not an absolute URL`;
    throw problemFailure({
      type: StandardError.configuration.type,
      status: 400,
      title: 'Invalid endpoint',
      detail: problem,
      instance: request.taskReference,
    });
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
  const error: WorkflowError = {
    type: StandardError.communication.type,
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    instance: request.taskReference,
  };
  return problemFailure(error, {
    nonRetryable: !problem.retryable,
    ...(problem.retryAfterMs === undefined ? {} : { nextRetryDelayMs: problem.retryAfterMs }),
  });
}
