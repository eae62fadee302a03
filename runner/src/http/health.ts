/** `/livez`: the process is up and answering; for liveness probes, so it needs no token. */
import type { HttpRoute } from './server.ts';

export const livenessRoute: HttpRoute = {
  prefix: '/livez',
  authenticated: false,
  handle: () => new Response('ok\n', { headers: { 'content-type': 'text/plain' } }),
};
