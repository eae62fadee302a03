/**
 * `/readyz` on the runner's HTTP server: ready while the worker polls and Temporal answers; not
 * ready (503, saying why) once the runner stops and its worker drains, or when Temporal is gone.
 */
import { expect, setDefaultTimeout, test } from 'bun:test';
import { startDevServer } from '../../src/temporal/dev-server.ts';
import { startStack } from '../service/support/stack.ts';

setDefaultTimeout(90_000);

test('ready while serving; not ready as soon as the runner stops, while the worker drains', async () => {
  const stack = await startStack({ httpAddress: '127.0.0.1:0', authToken: 'probe-needs-no-token' });
  const url = `${stack.runner.httpUrl}/readyz`;
  const ready = await fetch(url);
  expect(ready.status).toBe(200);
  expect(await ready.text()).toBe('ready\nrunner: ok\ntemporal: ok\nworker: ok\n');

  const stopped = stack.stop();
  const draining = await fetch(url);
  expect(draining.status).toBe(503);
  const body = await draining.text();
  expect(body).toStartWith('not ready\n');
  expect(body).toContain('runner: stopping');
  await stopped;
  // The HTTP server goes last, after the worker: nothing answers any more.
  expect(await fetch(url).then(() => 'answered', () => 'refused')).toBe('refused');
});

test('not ready, naming Temporal, when Temporal stops answering', async () => {
  const server = await startDevServer();
  const stack = await startStack({ httpAddress: '127.0.0.1:0', temporal: { connection: { address: server.address }, namespace: server.namespace } }, 'service');
  try {
    const url = `${stack.runner.httpUrl}/readyz`;
    expect((await fetch(url)).status).toBe(200);
    await server.stop();
    const unready = await fetch(url);
    expect(unready.status).toBe(503);
    const body = await unready.text();
    expect(body).toContain('runner: ok');
    expect(body).toMatch(/^temporal: (?!ok).+$/m);
  } finally {
    await stack.stop();
  }
});
