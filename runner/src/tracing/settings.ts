/**
 * Whether the runner traces, read from the standard OpenTelemetry variables. Off unless the
 * operator asks for it: an OTLP endpoint or an explicit OTEL_TRACES_EXPORTER turns it on,
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keeps it off. The exporters read the rest
 * (endpoint, headers, timeouts, OTEL_BSP_*) themselves; OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES name the process, OTEL_TRACES_SAMPLER chooses what is kept.
 */

export type TraceExporterKind = 'otlp' | 'console';
/** The OTLP transports Baton ships; `grpc` is not one of them (the collector's HTTP port 4318 takes both). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type TracingSettings =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly exporters: readonly TraceExporterKind[]; readonly protocol: OtlpProtocol };

export interface TracingSettingProblem {
  /** The variable at fault. */
  readonly variable: string;
  readonly message: string;
}

export type TracingSettingsResult =
  | { readonly ok: true; readonly settings: TracingSettings }
  | { readonly ok: false; readonly problems: readonly TracingSettingProblem[] };

export const TRACING_OFF: TracingSettings = { enabled: false };

const EXPORTERS: ReadonlySet<string> = new Set(['otlp', 'console', 'none']);
const PROTOCOLS: ReadonlySet<string> = new Set(['http/protobuf', 'http/json']);

export function tracingSettings(env: Readonly<Record<string, string | undefined>>): TracingSettingsResult {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text === '' ? undefined : text;
  };
  if (value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { ok: true, settings: TRACING_OFF };

  const problems: TracingSettingProblem[] = [];
  const named = value('OTEL_TRACES_EXPORTER');
  let exporters: TraceExporterKind[];
  if (named === undefined) {
    exporters = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value('OTEL_EXPORTER_OTLP_ENDPOINT') ? ['otlp'] : [];
  } else {
    const listed = named.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
    for (const name of listed) {
      if (!EXPORTERS.has(name)) problems.push({ variable: 'OTEL_TRACES_EXPORTER', message: `knows otlp, console and none, not "${name}"` });
    }
    exporters = listed.includes('none') ? [] : [...new Set(listed.filter((name): name is TraceExporterKind => name === 'otlp' || name === 'console'))];
  }

  const protocolVariable = value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = value(protocolVariable) ?? 'http/protobuf';
  if (exporters.includes('otlp') && !PROTOCOLS.has(protocol)) {
    problems.push({ variable: protocolVariable, message: `must be http/protobuf or http/json (Baton exports OTLP over HTTP, port 4318), got "${protocol}"` });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (exporters.length === 0) return { ok: true, settings: TRACING_OFF };
  return { ok: true, settings: { enabled: true, exporters, protocol: protocol as OtlpProtocol } };
}
