/**
 * The HTTP server the conformance cases call. Cases write `@@HTTP@@` where the server's base
 * URL goes (e.g. `endpoint: @@HTTP@@/pets/{petId}`); the runner substitutes it before compiling.
 * Stateful routes (flaky, retry-after) count per key so each case uses its own key.
 */
export const HTTP_PLACEHOLDER = '@@HTTP@@';

export interface HttpFixture {
  readonly baseUrl: string;
  stop(): void;
}

const pets: Record<string, { id: number; name: string; status: string }> = {
  '1': { id: 1, name: 'Rex', status: 'available' },
  '2': { id: 2, name: 'Tom', status: 'sold' },
};

export function startHttpFixture(): HttpFixture {
  const counters = new Map<string, number>();
  const count = (key: string) => {
    const next = (counters.get(key) ?? 0) + 1;
    counters.set(key, next);
    return next;
  };
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url);
      const parts = url.pathname.split('/').filter(Boolean);
      const [route, key] = parts;
      switch (route) {
        case 'pets': {
          const pet = key ? pets[key] : undefined;
          return pet ? Response.json(pet) : Response.json({ message: `no pet ${key}` }, { status: 404 });
        }
        case 'status':
          return new Response(`status ${key}`, { status: Number(key) });
        case 'flaky': {
          const failures = Number(url.searchParams.get('failures') ?? '2');
          const attempt = count(`flaky/${key}`);
          return attempt <= failures
            ? new Response('try again', { status: 500 })
            : Response.json({ attempts: attempt });
        }
        case 'counter':
          return Response.json({ calls: count(`counter/${key}`) });
        case 'missing':
          count(`missing/${key}`);
          return Response.json({ message: 'gone' }, { status: 404 });
        case 'unavailable':
          count(`unavailable/${key}`);
          return new Response('down for maintenance', { status: 503 });
        case 'peek':
          // How often a counted route was called, without counting this call.
          return Response.json({ calls: counters.get(parts.slice(1).join('/')) ?? 0 });
        case 'retry-after': {
          const attempt = count(`retry-after/${key}`);
          return attempt === 1
            ? new Response('slow down', { status: 429, headers: { 'retry-after': '1' } })
            : Response.json({ attempts: attempt });
        }
        case 'echo':
          return Response.json({
            method: request.method,
            query: Object.fromEntries(url.searchParams),
            header: request.headers.get('x-baton-test'),
            contentType: request.headers.get('content-type'),
            body: request.method === 'GET' ? null : await request.json().catch(() => null),
          });
        case 'bearer':
          // Authenticated: only `Authorization: Bearer <key>` is accepted.
          return request.headers.get('authorization') === `Bearer ${key}` ? Response.json({ authorized: true }) : new Response('no', { status: 401 });
        case 'text':
          return new Response('plain words', { headers: { 'content-type': 'text/plain' } });
        case 'redirect':
          return Response.redirect(`${url.origin}/pets/1`, 302);
        case 'slow':
          await Bun.sleep(Number(url.searchParams.get('ms') ?? '5000'));
          return Response.json({ slow: true });
        default:
          return new Response('not found', { status: 404 });
      }
    },
  });
  return { baseUrl: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}
