/**
 * The runner's operator HTTP server (`--http-address`): one port for everything the runner serves
 * over HTTP besides the codec endpoint. Features mount routes by path prefix; each route says
 * whether it needs the runner's bearer token (health probes do not). Off unless configured.
 */
import { timingSafeEqual } from 'node:crypto';
import { limitBody, UNLIMITED_BODY } from './body-limit.ts';

export interface HttpRoute {
  /** The path this route answers, and everything below it: `/livez`, `/events`. */
  readonly prefix: string;
  /** Whether a request must carry `authorization: Bearer <token>` when the runner has a token. */
  readonly authenticated: boolean;
  handle(request: Request, url: URL): Response | Promise<Response>;
}

export interface HttpServerOptions {
  /** host:port; port 0 picks a free one. */
  readonly address: string;
  readonly routes: readonly HttpRoute[];
  readonly authToken?: string;
  /** Largest accepted request body; a larger one is answered 413 with a sentence. */
  readonly maxBodyBytes: number;
  /** Where an unexpected handler error is reported (the client gets a 500 without its detail). */
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
}

export interface HttpServer {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  stop(): Promise<void>;
}

export function startHttpServer(options: HttpServerOptions): HttpServer {
  const separator = options.address.lastIndexOf(':');
  const hostname = options.address.slice(0, separator).replace(/^\[|\]$/g, '');
  const expected = options.authToken === undefined ? undefined : Buffer.from(`Bearer ${options.authToken}`);
  // Longest prefix first, so `/executions/stream` can live beside `/executions`.
  const routes = [...options.routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const server = Bun.serve({
    hostname,
    port: Number(options.address.slice(separator + 1)),
    maxRequestBodySize: UNLIMITED_BODY,
    fetch: async (received) => {
      const url = new URL(received.url);
      const route = routes.find((candidate) => url.pathname === candidate.prefix || url.pathname.startsWith(`${candidate.prefix}/`));
      if (!route) return Response.json({ message: `nothing is served at ${url.pathname}` }, { status: 404 });
      if (route.authenticated && expected && !bearerMatches(received.headers.get('authorization'), expected)) {
        return Response.json({ message: 'this endpoint needs `authorization: Bearer <token>` (the runner’s --auth-token)' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
      }
      const body = await limitBody(received, options.maxBodyBytes);
      if (!body.ok) return body.response;
      try {
        return await route.handle(body.request, url);
      } catch (error) {
        options.warn('an HTTP request failed unexpectedly', { path: url.pathname, error: error instanceof Error ? error.message : String(error) });
        return Response.json({ message: 'the runner could not answer this request; its log says why' }, { status: 500 });
      }
    },
  });
  const host = server.hostname?.includes(':') ? `[${server.hostname}]` : server.hostname;
  return { url: `http://${host}:${server.port}`, stop: () => server.stop(true) };
}

export function bearerMatches(header: string | null, expected: Buffer): boolean {
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
