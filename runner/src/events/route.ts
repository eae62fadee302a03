/** `POST /events` on the runner's HTTP server: CloudEvents in, over the HTTP binding, behind the token. */
import type { HttpRoute } from '../http/index.ts';
import { parseHttpEvents } from './http-binding.ts';
import type { EventBus } from './publisher.ts';

export function eventsRoute(bus: EventBus, maxEventBytes: number): HttpRoute {
  return {
    prefix: '/events',
    authenticated: true,
    handle: async (request, url) => {
      if (url.pathname !== '/events') return Response.json({ message: `nothing is served at ${url.pathname}` }, { status: 404 });
      if (request.method !== 'POST') return Response.json({ message: 'publish events with POST' }, { status: 405, headers: { allow: 'POST' } });
      const parsed = parseHttpEvents(request.headers, new Uint8Array(await request.arrayBuffer()), maxEventBytes);
      if (!parsed.ok) {
        const status = parsed.problem.code === 'EVENT_TOO_LARGE' ? 413 : 400;
        return Response.json(parsed.problem, { status });
      }
      await bus.publish(parsed.events, 'http');
      return Response.json({ accepted: parsed.events.length }, { status: 202 });
    },
  };
}
