import { createHash } from 'node:crypto';

/** The demo credentials `examples/authentication.yaml` reads from `BATON_SECRET_*`. */
export const EXAMPLE_CREDENTIALS = { user: 'demo', password: 'demo-password', token: 'demo-token' } as const;
const REALM = 'examples';

/**
 * A small HTTP service the examples talk to: an approval desk, a flaky quote service, a resource
 * that checks basic, bearer and digest credentials, and a quote library described by the OpenAPI
 * document it serves at /openapi.yaml (examples/openapi.yaml).
 * `bun examples/server.ts [port]` prints the port it listens on (default 4010).
 */
const QUOTES = ['Simple things should be simple.', 'Complex things should be possible.'];

const LIBRARY_OPENAPI = `openapi: 3.0.3
info: {title: quote library, version: '1'}
servers: [{url: /library}]
paths:
  /quotes/{index}:
    get:
      operationId: getQuote
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer}}
        - {name: shout, in: query, schema: {type: boolean}}
      responses:
        '200': {description: the quote, content: {application/json: {schema: {$ref: '#/components/schemas/Quote'}}}}
        '404': {description: no such quote}
components:
  schemas:
    Quote:
      type: object
      properties: {index: {type: integer}, text: {type: string}}
`;

interface Approval {
  readonly id: string;
  readonly request: unknown;
  readonly decideAfterPolls: number;
  polls: number;
}

export function startExampleServer(port = 4010) {
  const approvals = new Map<string, Approval>();
  const flakyCalls = new Map<string, number>();
  return Bun.serve({
    port,
    hostname: '127.0.0.1',
    routes: {
      '/approvals': {
        POST: async (request) => {
          const body = (await request.json()) as { request?: unknown; decideAfterPolls?: number };
          const approval: Approval = {
            id: `apr-${approvals.size + 1}`,
            request: body.request,
            decideAfterPolls: body.decideAfterPolls ?? 2,
            polls: 0,
          };
          approvals.set(approval.id, approval);
          return Response.json({ id: approval.id, status: 'pending' }, { status: 201 });
        },
      },
      '/approvals/:id': (request) => {
        const approval = approvals.get(request.params.id);
        if (!approval) return Response.json({ title: 'no such approval' }, { status: 404 });
        approval.polls += 1;
        const decided = approval.decideAfterPolls >= 0 && approval.polls > approval.decideAfterPolls;
        return Response.json({ id: approval.id, status: decided ? 'approved' : 'pending' });
      },
      '/openapi.yaml': () => new Response(LIBRARY_OPENAPI, { headers: { 'content-type': 'application/yaml' } }),
      '/library/quotes/:index': (request) => {
        const index = Number(request.params.index);
        const text = QUOTES[index];
        if (text === undefined) return Response.json({ title: 'no such quote' }, { status: 404 });
        const shout = new URL(request.url).searchParams.get('shout') === 'true';
        return Response.json({ index, text: shout ? text.toUpperCase() : text });
      },
      '/flaky': (request) => {
        const url = new URL(request.url);
        const key = url.searchParams.get('key') ?? 'default';
        const failures = Number(url.searchParams.get('failures') ?? 2);
        const calls = (flakyCalls.get(key) ?? 0) + 1;
        flakyCalls.set(key, calls);
        if (calls <= failures) return Response.json({ title: 'try again' }, { status: 503 });
        return Response.json({ quote: 'Simple things should be simple.', attempts: calls });
      },
      '/secure/basic': (request) =>
        request.headers.get('authorization') === `Basic ${btoa(`${EXAMPLE_CREDENTIALS.user}:${EXAMPLE_CREDENTIALS.password}`)}` ? granted('Basic') : refused(),
      '/secure/bearer': (request) => (request.headers.get('authorization') === `Bearer ${EXAMPLE_CREDENTIALS.token}` ? granted('Bearer') : refused()),
      '/secure/digest': (request) => {
        const header = request.headers.get('authorization') ?? '';
        if (header.startsWith('Digest ') && digestMatches(header, request.method)) return granted('Digest');
        const challenge = `Digest realm="${REALM}", qop="auth", algorithm=SHA-256, nonce="${crypto.randomUUID()}"`;
        return Response.json({ title: 'unauthorized' }, { status: 401, headers: { 'www-authenticate': challenge } });
      },
    },
    fetch: () => Response.json({ title: 'not found' }, { status: 404 }),
  });
}

function granted(scheme: string): Response {
  return Response.json({ access: 'granted', scheme });
}

function refused(): Response {
  return Response.json({ title: 'unauthorized' }, { status: 401 });
}

/** RFC 7616 with SHA-256 and qop=auth, as the server computes it. */
function digestMatches(header: string, method: string): boolean {
  const field = (name: string) => new RegExp(`${name}="?([^",]*)"?`).exec(header)?.[1] ?? '';
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const ha1 = sha(`${EXAMPLE_CREDENTIALS.user}:${REALM}:${EXAMPLE_CREDENTIALS.password}`);
  const ha2 = sha(`${method}:${field('uri')}`);
  return field('username') === EXAMPLE_CREDENTIALS.user && field('response') === sha(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:${field('qop')}:${ha2}`);
}

if (import.meta.main) {
  const server = startExampleServer(Number(process.argv[2] ?? 4010));
  console.log(`example server on http://127.0.0.1:${server.port}`);
}
