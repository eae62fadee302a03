export { startHttpServer, bearerMatches } from './server.ts';
export type { HttpRoute, HttpServer, HttpServerOptions } from './server.ts';
export { livenessRoute } from './health.ts';
export { readinessRoute } from './readiness.ts';
export type { ReadinessCheck } from './readiness.ts';
export { limitBody, UNLIMITED_BODY } from './body-limit.ts';
