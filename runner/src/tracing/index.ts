export { tracingSettings, TRACING_OFF } from './settings.ts';
export type { OtlpProtocol, TraceExporterKind, TracingSettingProblem, TracingSettings, TracingSettingsResult } from './settings.ts';
export { DEFAULT_SERVICE_NAME, startTracing, TRACING_WORKFLOW_INTERCEPTOR_MODULES, tracingFor } from './tracing.ts';
export type { Tracing, TracingOptions, WorkerTracing } from './tracing.ts';
export { rpcSpans } from './rpc-spans.ts';
export type { EndRpcSpan, RpcSpans } from './rpc-spans.ts';
