/**
 * Serves MCP over streamable HTTP (stateless: a fresh server per request, so any replica can answer).
 * Guarded like the runner's gRPC: with a token, every request must carry it as a bearer token; without
 * one, only a loopback address may be bound, and only loopback Host and Origin headers are answered
 * (a web page must not reach a local server through DNS rebinding).
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

export const MCP_PATH = '/mcp';
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export interface HttpOptions {
  readonly hostname: string;
  readonly port: number;
  /** The bearer token clients must present; required to bind anything but loopback. */
  readonly token?: string;
  readonly createServer: () => McpServer;
}

export type HttpStart =
  | { readonly ok: true; readonly url: string; stop(): Promise<void> }
  | { readonly ok: false; readonly problem: string };

export function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return LOOPBACK_NAMES.has(hostname) || (isIP(bare) === 4 && bare.startsWith('127.'));
}

export function serveHttp(options: HttpOptions): HttpStart {
  if (!options.token && !isLoopback(options.hostname)) {
    return { ok: false, problem: `serving MCP on ${options.hostname} needs a bearer token (--token or BATON_RUNNER_TOKEN); without one only loopback is allowed` };
  }
  const expected = options.token ? new TextEncoder().encode(`Bearer ${options.token}`) : undefined;
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    // A `watch` may follow an execution for minutes on one response.
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== MCP_PATH) return new Response('not found: the MCP endpoint is /mcp\n', { status: 404 });
      if (expected && !bearerMatches(request.headers.get('authorization'), expected)) {
        return new Response('unauthorized: send the runner token as "Authorization: Bearer <token>"\n', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      if (!expected && !fromLoopback(request)) return new Response('forbidden: only loopback clients are answered without a token\n', { status: 403 });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await options.createServer().connect(transport);
      return transport.handleRequest(request);
    },
  });
  return { ok: true, url: `http://${server.hostname}:${server.port}${MCP_PATH}`, stop: () => server.stop(true) };
}

function bearerMatches(header: string | null, expected: Uint8Array): boolean {
  if (!header) return false;
  const given = new TextEncoder().encode(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function fromLoopback(request: Request): boolean {
  const host = request.headers.get('host') ?? '';
  const hostname = host.replace(/:\d+$/, '');
  const origin = request.headers.get('origin');
  return isLoopback(hostname) && (origin === null || isLoopback(originHostname(origin)));
}

function originHostname(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin; // "null" and other opaque origins: never loopback
  }
}
