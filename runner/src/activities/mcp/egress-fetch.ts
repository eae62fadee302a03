/**
 * The `fetch` the SDK's streamable HTTP client transport uses, sending every request through the
 * egress policy (checked on the connected address). Answers are read whole, up
 * to a cap: a call's POST answers (JSON, or an event stream the server ends once it has answered)
 * arrive complete. The standalone GET stream, which carries only messages the server starts on its
 * own, is answered 405 here without a request: a call task has no use for them, and a stream held
 * open for the whole session would only hold a connection.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { EgressClient } from '../../egress/index.ts';

export function egressFetch(client: EgressClient, maxResponseBytes: number): FetchLike {
  return async (url, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method === 'GET') return new Response(null, { status: 405, statusText: 'Method Not Allowed' });
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('the MCP client sent a body that is not text');
    const response = await client.request(new URL(String(url)), {
      method,
      headers: new Headers(init?.headers),
      ...(typeof body === 'string' ? { body } : {}),
      // The SDK follows redirects itself, within the origin only; each hop comes back through here.
      followRedirects: false,
      maxResponseBytes,
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const empty = response.status === 204 || response.status === 205 || response.status === 304 || response.body.length === 0;
    return new Response(empty ? null : response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
