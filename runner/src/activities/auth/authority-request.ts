/**
 * Requests to an authorization server (discovery, token endpoint), through the same egress policy
 * as the call itself. A server that cannot be reached is a retryable communication error; one the
 * policy refuses is final.
 */
import { EgressRefusedError, ResponseTooLargeError, TooManyRedirectsError } from '../../egress/index.ts';
import type { EgressClient } from '../../egress/index.ts';
import { authenticationFailure } from './errors.ts';

const MAX_AUTHORITY_RESPONSE_BYTES = 256 * 1024;

export interface AuthorityResponse {
  readonly status: number;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export async function authorityRequest(
  client: EgressClient,
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Headers; body?: string },
  what: string,
  instance: string,
  signal?: AbortSignal,
): Promise<AuthorityResponse> {
  init.headers.set('accept', 'application/json');
  try {
    const response = await client.request(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      followRedirects: init.method === 'GET',
      maxResponseBytes: MAX_AUTHORITY_RESPONSE_BYTES,
      ...(signal ? { signal } : {}),
    });
    const text = new TextDecoder().decode(response.body);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    const where = `${what} ${url.origin}${url.pathname}`;
    if (error instanceof EgressRefusedError) {
      throw authenticationFailure({ kind: 'communication', status: 403, title: 'Refused by the egress policy', detail: `${where}: ${error.message}` }, instance);
    }
    if (error instanceof ResponseTooLargeError || error instanceof TooManyRedirectsError) {
      throw authenticationFailure({ kind: 'communication', status: 502, title: `Invalid ${what}`, detail: `${where}: ${error.message}` }, instance);
    }
    const code = (error as { code?: unknown }).code;
    throw authenticationFailure(
      { kind: 'communication', status: 503, title: 'Authorization server unreachable', detail: `${where}: ${typeof code === 'string' ? code : (error as Error).message}`, retryable: true },
      instance,
    );
  }
}
