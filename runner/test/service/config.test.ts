/** Configuration from flags and environment: pure logic, so a unit test. */
import { expect, test } from 'bun:test';
import { loadConfig, parseDurationMs, SETTINGS } from '../../src/config.ts';

test('defaults: loopback, the documented values', () => {
  const loaded = loadConfig({ argv: [], env: {} });
  expect(loaded.ok).toBe(true);
  if (!loaded.ok) return;
  expect(loaded.config).toMatchObject({
    grpcAddress: '127.0.0.1:50051',
    taskQueue: 'baton',
    callbackNamespace: '',
    heartbeatIntervalMs: 10_000,
    workerConcurrency: 200,
    maxYamlBytes: 1024 * 1024,
    temporal: { namespace: 'default', connection: { address: 'localhost:7233' } },
  });
  expect(loaded.config.authToken).toBeUndefined();
  expect(loaded.config.tokenKey).toBeUndefined();
});

test('flags win over the environment; Temporal settings follow envconfig', () => {
  const loaded = loadConfig({
    argv: ['--task-queue', 'from-flag', '--heartbeat-interval=2s', '--temporal-namespace', 'ns-flag'],
    env: { BATON_TASK_QUEUE: 'from-env', BATON_CALLBACK_NAMESPACE: 'callers', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_API_KEY: 'k' },
  });
  expect(loaded.ok).toBe(true);
  if (!loaded.ok) return;
  expect(loaded.config.taskQueue).toBe('from-flag');
  expect(loaded.config.heartbeatIntervalMs).toBe(2_000);
  expect(loaded.config.callbackNamespace).toBe('callers');
  expect(loaded.config.temporal.namespace).toBe('ns-flag');
  expect(loaded.config.temporal.connection).toMatchObject({ address: 'temporal:7233', apiKey: 'k' });
});

test('every bad value is reported with its flag, none thrown', () => {
  const loaded = loadConfig({
    argv: ['--grpc-address', 'nowhere', '--heartbeat-interval', 'often', '--worker-concurrency=-3', '--token-key', 'abc', '--tls-cert', '/x.pem'],
    env: {},
  });
  expect(loaded.ok).toBe(false);
  if (loaded.ok) return;
  expect(loaded.problems.map((p) => p.setting).sort()).toEqual(['--grpc-address', '--heartbeat-interval', '--tls-cert', '--token-key', '--worker-concurrency']);
  expect(loadConfig({ argv: ['--no-such-flag', 'x'], env: {} })).toMatchObject({ ok: false, problems: [{ setting: 'argv' }] });
});

test('durations and the documented table', () => {
  expect([parseDurationMs('500ms'), parseDurationMs('10s'), parseDurationMs('1.5m'), parseDurationMs('250')]).toEqual([500, 10_000, 90_000, 250]);
  expect([parseDurationMs('0s'), parseDurationMs('-1s'), parseDurationMs('soon')]).toEqual([undefined, undefined, undefined]);
  expect(new Set(SETTINGS.map((s) => s.flag)).size).toBe(SETTINGS.length);
});

test("Zigflow's $env holds only the variables with the operator's prefix, none by default", () => {
  const env = { ZIGGY_API_URL: 'https://api.example.com', ZIGGY_: 'empty name', HOME: '/root' };
  const none = loadConfig({ argv: [], env });
  expect(none.ok && none.config.zigflowEnv).toEqual({});
  const prefixed = loadConfig({ argv: ['--zigflow-env-prefix', 'ZIGGY_'], env });
  expect(prefixed.ok && prefixed.config.zigflowEnv).toEqual({ API_URL: 'https://api.example.com' });
});
