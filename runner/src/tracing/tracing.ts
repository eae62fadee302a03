/**
 * Tracing for one runner process: the OpenTelemetry SDK registered as the process's tracer
 * provider (AsyncLocalStorage context, W3C trace context propagation), and the Temporal SDK's
 * OpenTelemetry interceptors that carry the trace from the service's Temporal client into the
 * interpreter workflow and its activities. The SDK and the interceptors are loaded only here, and
 * only when tracing is on: a runner without tracing installs nothing and loads none of it.
 */
import { fileURLToPath } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { OtlpProtocol, TraceExporterKind, TracingSettings } from './settings.ts';

/** What the runner's worker needs to trace: bundled into its workflow code and installed around its activities. */
export interface WorkerTracing {
  /** Workflow interceptor modules, bundled with the interpreter (the SDK's deterministic ones). */
  readonly workflowInterceptorModules: readonly string[];
  readonly activityInterceptors: readonly ActivityInterceptorsFactory[];
  /** The sink through which workflow code hands its finished spans out of the sandbox. */
  readonly sinks: InjectedSinks<OpenTelemetrySinks>;
}

export interface Tracing extends WorkerTracing {
  /** For the runner's Temporal clients: starts, updates and signals carry the current trace. */
  readonly clientInterceptors: readonly WorkflowClientInterceptor[];
  /** Baton's own spans (gRPC calls, callback deliveries). */
  readonly tracer: Tracer;
  /** Exports what is buffered, then unregisters the provider. */
  shutdown(): Promise<void>;
}

export type TracingOptions =
  | { readonly exporters: readonly TraceExporterKind[]; readonly protocol: OtlpProtocol }
  /** Where finished spans go instead of the configured exporters (tests collect them in memory). */
  | { readonly spanProcessor: SpanProcessor };

/** Bundled into the traced interpreter: the SDK's workflow interceptors, as workflow-interceptors.ts installs them. */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [fileURLToPath(new URL('./workflow-interceptors.ts', import.meta.url))];

/** Used when OTEL_SERVICE_NAME names none. */
export const DEFAULT_SERVICE_NAME = 'baton-runner';
const TRACER_NAME = '@baton/runner';

/** The process's tracing as configured: started when the settings ask for it; otherwise nothing is loaded or installed. */
export async function tracingFor(settings: TracingSettings): Promise<Tracing | undefined> {
  return settings.enabled ? startTracing(settings) : undefined;
}

/** Once per process, before the runner starts. */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ NodeTracerProvider }, { BatchSpanProcessor, ConsoleSpanExporter }, { Resource, envDetectorSync }, interceptors] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  const spanProcessors =
    'spanProcessor' in options
      ? [options.spanProcessor]
      : await Promise.all(
          options.exporters.map(async (kind) => new BatchSpanProcessor(kind === 'console' ? new ConsoleSpanExporter() : await otlpExporter(options.protocol))),
        );
  // The operator's OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over our default name.
  const resource = new Resource({ 'service.name': DEFAULT_SERVICE_NAME }).merge(envDetectorSync.detect());
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  provider.register();

  // Workflow spans are made in the sandbox and handed out through a sink: give them to the same processors.
  const workflowSpans: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span: ReadableSpan) => {
      for (const processor of spanProcessors) processor.onEnd(span);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const tracer = trace.getTracer(TRACER_NAME);
  return {
    workflowInterceptorModules: TRACING_WORKFLOW_INTERCEPTOR_MODULES,
    activityInterceptors: [
      (ctx) => ({
        inbound: new interceptors.OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new interceptors.OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: interceptors.makeWorkflowExporter(workflowSpans, provider.resource) },
    clientInterceptors: [new interceptors.OpenTelemetryWorkflowClientInterceptor()],
    tracer,
    async shutdown() {
      await provider.shutdown();
      // A later startTracing in this process (tests) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

async function otlpExporter(protocol: OtlpProtocol): Promise<SpanExporter> {
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}
