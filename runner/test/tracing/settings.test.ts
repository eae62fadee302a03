/** Which OTEL_* variables turn tracing on, and what the runner refuses with a clear problem. */
import { expect, test } from 'bun:test';
import { loadConfig } from '../../src/config.ts';
import { tracingSettings } from '../../src/tracing/index.ts';

const on = (env: Record<string, string>) => {
  const result = tracingSettings(env);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.settings;
};

test('off unless asked: no variables, or only a service name, trace nothing', () => {
  expect(on({})).toEqual({ enabled: false });
  expect(on({ OTEL_SERVICE_NAME: 'payments-runner' })).toEqual({ enabled: false });
});

test('an OTLP endpoint turns tracing on with OTLP over HTTP/protobuf, the standard default', () => {
  expect(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: true, exporters: ['otlp'], protocol: 'http/protobuf' });
  expect(on({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({
    enabled: true,
    exporters: ['otlp'],
    protocol: 'http/json',
  });
});

test('OTEL_TRACES_EXPORTER names the exporters; none, or OTEL_SDK_DISABLED, keeps tracing off', () => {
  expect(on({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ enabled: true, exporters: ['console'], protocol: 'http/protobuf' });
  expect(on({ OTEL_TRACES_EXPORTER: 'otlp, console' })).toEqual({ enabled: true, exporters: ['otlp', 'console'], protocol: 'http/protobuf' });
  expect(on({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: false });
  expect(on({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ enabled: false });
});

test('an unknown exporter or the gRPC protocol is a config problem naming the variable, not a crash', () => {
  const loaded = loadConfig({ argv: [], env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' } });
  expect(loaded.ok).toBe(false);
  if (loaded.ok) return;
  expect(loaded.problems).toContainEqual({ code: 'CONFIG_INVALID', setting: 'OTEL_TRACES_EXPORTER', message: 'knows otlp, console and none, not "jaeger"' });
  const grpc = loadConfig({ argv: [], env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' } });
  expect(grpc.ok ? [] : grpc.problems.map((problem) => problem.setting)).toEqual(['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']);
});
