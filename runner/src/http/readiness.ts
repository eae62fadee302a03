/**
 * `/readyz`: whether this runner should be sent work — its worker is polling and Temporal answers.
 * For readiness probes and load balancers, so it needs no token; the answer names what is wrong,
 * never a secret. Each check is bounded: a Temporal that does not answer is a Temporal that is
 * not reachable.
 */
import type { HttpRoute } from './server.ts';

export interface ReadinessCheck {
  /** What is checked, as the answer names it: `worker`, `temporal`. */
  readonly name: string;
  /** Undefined when fine, else a sentence saying what is wrong. */
  check(): Promise<string | undefined>;
}

/** Longest a check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

export function readinessRoute(checks: readonly ReadinessCheck[]): HttpRoute {
  return {
    prefix: '/readyz',
    authenticated: false,
    handle: async () => {
      const results = await Promise.all(checks.map(async (check) => ({ name: check.name, problem: await bounded(check) })));
      const failing = results.filter((result) => result.problem !== undefined);
      const lines = results.map((result) => `${result.name}: ${result.problem ?? 'ok'}`).join('\n');
      return new Response(`${failing.length === 0 ? 'ready' : 'not ready'}\n${lines}\n`, {
        status: failing.length === 0 ? 200 : 503,
        headers: { 'content-type': 'text/plain' },
      });
    },
  };
}

async function bounded(check: ReadinessCheck): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch((error: unknown) => (error instanceof Error ? error.message : String(error))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
