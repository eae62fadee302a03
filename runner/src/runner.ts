/**
 * One runner process: the Temporal worker (interpreter workflow, task and callback activities)
 * and the gRPC service, sharing one Temporal connection. Local mode and the CLI call
 * `startRunner`; tests and benchmarks too. Either half can run alone (`role`), e.g. workers
 * scaled apart from the service.
 */
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { TelemetryOptions } from '@temporalio/worker';
import { compileWorkflow } from '@baton/dsl';
import { WORKFLOW_RUNNER_SERVICE_NAME } from '@baton/proto';
import { createCallbackActivities } from './activities/callback.ts';
import { PendingCallbacks } from './activities/callback/pending.ts';
import { createGrpcActivities } from './activities/grpc.ts';
import { createMcpActivities } from './activities/mcp.ts';
import { createCatalogFunctionActivities } from './activities/catalog-functions.ts';
import { createAsyncApiActivities } from './activities/asyncapi.ts';
import { createAuthenticator } from './activities/auth/index.ts';
import { createDeploymentActivities } from './activities/deployments.ts';
import { createEventActivities } from './activities/events.ts';
import { createHttpActivities } from './activities/http.ts';
import { createOpenApiActivities } from './activities/openapi.ts';
import { createRunActivities, withRunPolicyCheck } from './activities/run/index.ts';
import { createCallerLink } from './activities/callback/caller.ts';
import type { RunnerConfig } from './config.ts';
import { COMPLETION_DURATION_METRIC, EXECUTION_DURATION_METRIC, GRPC_REQUEST_DURATION_METRIC } from './contract/index.ts';
import { createEgressClient, withStaticEndpointCheck } from './egress/index.ts';
import { runnerDataConverter, startCodecEndpoint } from './codec/index.ts';
import { createEventBus, eventsRoute } from './events/index.ts';
import { livenessRoute, readinessRoute, startHttpServer } from './http/index.ts';
import type { ReadinessCheck } from './http/index.ts';
import { createLogger, defaultLogFormat } from './log/index.ts';
import { executionPageRoutes } from './page/index.ts';
import { loadCatalogue } from './service/catalogue.ts';
import { cachedCompiler } from './service/compile-cache.ts';
import { Deployments } from './service/deployments.ts';
import { seedDeployments } from './service/seed-deployments.ts';
import { Executions } from './service/executions.ts';
import type { CompileWorkflow } from './service/requests.ts';
import { serviceMetrics } from './service/metrics.ts';
import { batonSearchAttributeSupport } from './service/search-attributes.ts';
import { startServiceServer } from './service/server.ts';
import { createWorker } from './temporal/worker.ts';
import { redactTaskTokens } from './token/redact-logs.ts';
import { rpcSpans } from './tracing/index.ts';
import type { Tracing } from './tracing/index.ts';
import { createTokenSealer, generateTokenKey } from './token/seal.ts';

export type RunnerRole = 'all' | 'service' | 'worker';

/**
 * Telemetry for `Runtime.install` (once per process, before `startRunner`): a Prometheus endpoint
 * at `--metrics-address` with the Temporal SDK's metrics and Baton's (executions, rpcs, callbacks),
 * which go through the same runtime meter so one scrape sees everything.
 */
export function runtimeTelemetry(config: Pick<RunnerConfig, 'metricsAddress'>): TelemetryOptions | undefined {
  if (!config.metricsAddress) return undefined;
  return {
    metrics: { prometheus: { bindAddress: config.metricsAddress, countersTotalSuffix: true, histogramBucketOverrides: HISTOGRAM_BUCKETS_MS } },
  };
}

/** Millisecond buckets fitting what each histogram measures (the exporter's default stops at 10 s). */
const HISTOGRAM_BUCKETS_MS: Record<string, number[]> = {
  // Executions run from milliseconds to days.
  [EXECUTION_DURATION_METRIC]: [10, 50, 100, 500, 1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000],
  // One rpc to Temporal per delivery, retried within a 30 s start-to-close.
  [COMPLETION_DURATION_METRIC]: [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000],
  // `execute` waits for the end of the execution: the long buckets are for it.
  [GRPC_REQUEST_DURATION_METRIC]: [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 60_000, 300_000],
};

export interface StartRunnerOptions {
  readonly role?: RunnerRole;
  /** Where the runner reports what it does; by default a structured log on standard error, as configured (`--log-level`, `--log-format`). */
  readonly log?: RunnerLog;
  /** Started once per process with `startTracing`; without it the runner installs no tracing at all. */
  readonly tracing?: Tracing;
}

export interface RunnerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface Runner {
  /** host:port of the gRPC service; empty for a worker-only runner. */
  readonly grpcAddress: string;
  /** Base URL of the codec endpoint; absent when not configured. */
  readonly codecUrl?: string;
  /** Base URL of the runner's HTTP server; absent when not configured. */
  readonly httpUrl?: string;
  /** The token key in use (generated when the config had none): persist it to keep sealed tokens readable. */
  readonly tokenKey: Uint8Array;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Settles with the worker's end (rejects if it crashed); never settles for a service-only runner. */
  readonly workerDone: Promise<void>;
  stop(): Promise<void>;
}

export async function startRunner(config: RunnerConfig, options: StartRunnerOptions = {}): Promise<Runner> {
  const role = options.role ?? 'all';
  const log = options.log ?? createLogger({ level: config.logLevel ?? 'info', format: config.logFormat ?? defaultLogFormat() });
  const tokenKey = config.tokenKey ?? generateTokenKey();
  if (!config.tokenKey) {
    log.warn('no BATON_TOKEN_KEY set: generated a key for this process; callbacks of executions started now cannot be delivered after a restart');
  }
  // Every client and worker of the runner writes payloads through the codec. The caller link does
  // not: the caller reads the result we complete its activity with, and holds none of our keys.
  const dataConverter = runnerDataConverter(config.codecKeys);
  if (!dataConverter) {
    log.warn('no BATON_CODEC_KEYS set: workflow inputs, results and everything HTTP calls return are recorded in clear in Temporal history');
  }
  const compile: CompileWorkflow = cachedCompiler(
    withRunPolicyCheck(
      withStaticEndpointCheck((yaml, compileOptions) => compileWorkflow(yaml, { ...compileOptions, maxBytes: config.maxYamlBytes }), config.egress),
      config.run,
    ),
  );
  const catalogue = config.catalogueDir ? await loadCatalogue(config.catalogueDir, compile) : undefined;

  // Two connections: the worker's long polls occupy HTTP/2 streams, and client calls (starts,
  // queries, callback deliveries) queued behind them under load (bench:runner, 500 concurrent).
  const connection = await NativeConnection.connect(config.temporal.connection);
  const clientConnection = await NativeConnection.connect(config.temporal.connection).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const sealer = createTokenSealer(tokenKey);
  const tracing = options.tracing;
  const link = createCallerLink({
    connection: clientConnection,
    sealer,
    defaultNamespace: config.temporal.namespace,
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  // One client of the runner's namespace for the service and the deployment activities alike.
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    ...(dataConverter ? { dataConverter } : {}),
    ...(tracing ? { interceptors: { workflow: [...tracing.clientInterceptors] } } : {}),
  });
  const limits = { maxPayloadBytes: config.maxPayloadBytes };
  const zigflowEnv = Object.keys(config.zigflowEnv).length > 0 ? config.zigflowEnv : undefined;
  // The process's runtime meter: exported when the process installed the runtime with metrics.
  const meter = Runtime.instance().metricMeter;
  const bus = createEventBus(client, config.taskQueue, config.maxPayloadBytes, meter);
  const stops: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  // What /readyz asks: a stopping runner is taken out of rotation before its worker drains.
  const readiness: ReadinessCheck[] = [
    { name: 'runner', check: async () => (stopping ? 'stopping' : undefined) },
    {
      name: 'temporal',
      check: async () => {
        // Bounded here too: the client's own retries would otherwise go on after the answer.
        await clientConnection.withDeadline(Date.now() + 2_000, () => clientConnection.workflowService.getSystemInfo({}));
        return undefined;
      },
    },
  ];
  let workerDone: Promise<void> = new Promise(() => undefined);
  try {
    if (role !== 'service') {
      // One authenticator for the runner: every call kind and resource read shares its token cache,
      // and stopping revokes the tokens it still holds (after the worker drained, below).
      const authenticator = createAuthenticator({ secrets: config.secrets, client: createEgressClient(config.egress) });
      const callDocuments = { egress: config.egress, secrets: config.secrets, authenticator, ...(config.callDocumentsDir ? { documentsDir: config.callDocumentsDir } : {}) };
      const created = await createWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.taskQueue,
        maxPayloadBytes: config.maxPayloadBytes,
        ...(tracing ? { tracing } : {}),
        activities: {
          ...createHttpActivities({ secrets: config.secrets, egress: config.egress, authenticator }),
          ...createOpenApiActivities(callDocuments),
          ...createGrpcActivities(callDocuments),
          ...createCatalogFunctionActivities(callDocuments),
          ...createMcpActivities({ egress: config.egress, secrets: config.secrets, run: config.run, authenticator }),
          ...createAsyncApiActivities(callDocuments),
          ...createRunActivities({ policy: config.run, egress: config.egress, secrets: config.secrets, authenticator }),
          ...createCallbackActivities({
            link,
            connection: clientConnection,
            sealer,
            defaultNamespace: config.temporal.namespace,
            pending: new PendingCallbacks(meter),
          }),
          ...createDeploymentActivities({ client, compile, limits, ...(zigflowEnv ? { env: zigflowEnv } : {}) }),
          ...createEventActivities({ bus, sinks: config.eventSinks, egress: config.egress, maxEventBytes: config.maxEventBytes }),
        },
        workerOptions: {
          maxConcurrentActivityTaskExecutions: config.workerConcurrency,
          maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.min(config.workerConcurrency, 100)),
          maxConcurrentLocalActivityExecutions: config.workerConcurrency,
          interceptors: { activity: [redactTaskTokens] },
          ...(dataConverter ? { dataConverter } : {}),
        },
      });
      readiness.push({ name: 'worker', check: async () => (created.getState() === 'RUNNING' ? undefined : `the worker is ${created.getState()}`) });
      workerDone = created.run();
      workerDone.catch((err: unknown) => log.warn('worker stopped with an error', { error: String(err) }));
      stops.push(async () => {
        if (created.getState() === 'RUNNING') created.shutdown();
        await workerDone.catch(() => undefined);
        await authenticator.close();
      });
    }

    let executions: Executions | undefined;
    if (role !== 'worker') {
      const searchable = await batonSearchAttributeSupport(clientConnection, config.temporal.namespace);
      if (!searchable.ok) log.warn(`executions are started without Baton's search attributes: ${searchable.reason}`);
      executions = new Executions({
        client,
        taskQueue: config.taskQueue,
        sealer,
        callbackNamespace: config.callbackNamespace,
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        searchAttributes: searchable.ok,
        limits,
        ...(zigflowEnv ? { env: zigflowEnv } : {}),
        ...(catalogue ? { catalogue } : {}),
        warn: (message, fields) => log.warn(message, fields),
      });
    }

    // Before the gRPC service: its answers' status_url points at this server's page by default.
    let httpUrl: string | undefined;
    if (config.httpAddress) {
      const page = executions
        ? executionPageRoutes({
            executions,
            client,
            taskQueue: config.taskQueue,
            ...(config.authToken ? { authToken: config.authToken } : {}),
            ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
            ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
            warn: (message, fields) => log.warn(message, fields),
          })
        : [];
      const http = startHttpServer({
        address: config.httpAddress,
        routes: [livenessRoute, readinessRoute(readiness), ...page, ...(executions ? [eventsRoute(bus, config.maxEventBytes)] : [])],
        ...(config.authToken ? { authToken: config.authToken } : {}),
        maxBodyBytes: config.maxMessageBytes,
        warn: (message, fields) => log.warn(message, fields),
      });
      httpUrl = http.url;
      // Last: probes keep hearing "not ready" while the rest drains.
      stops.push(() => http.stop());
    }
    const publicUrl = config.publicUrl ?? httpUrl;

    let grpcAddress = '';
    if (executions) {
      const deployments = new Deployments({ client, taskQueue: config.taskQueue, compile, warn: (message, fields) => log.warn(message, fields) });
      const server = await startServiceServer({
        address: config.grpcAddress,
        ...(config.tls ? { tls: config.tls } : {}),
        ...(config.authToken ? { authToken: config.authToken } : {}),
        ...(publicUrl ? { publicUrl } : {}),
        maxMessageBytes: config.maxMessageBytes,
        maxYamlBytes: config.maxYamlBytes,
        admission: { maxConcurrent: config.maxConcurrentStarts, maxQueued: config.maxQueuedStarts },
        compile,
        executions,
        deployments,
        events: { bus, maxEventBytes: config.maxEventBytes },
        ...(tracing ? { rpcSpans: rpcSpans(tracing.tracer, WORKFLOW_RUNNER_SERVICE_NAME) } : {}),
        metrics: serviceMetrics(meter),
        log: (message, fields) => log.info(message, fields),
        warn: (message, fields) => log.warn(message, fields),
      });
      grpcAddress = server.address;
      if (config.catalogueDir) {
        void seedDeployments(config.catalogueDir, deployments, compile, (message, fields) => log.info(message, fields)).catch((err: unknown) =>
          log.warn('seeding deployments from the catalogue failed', { error: String(err) }),
        );
      }
      stops.unshift(() => server.stop());
      // A service whose own worker died should be taken out of rotation by health checks.
      workerDone.catch(() => server.setServing(false));
    }

    let codecUrl: string | undefined;
    const codec = dataConverter?.payloadCodecs?.[0];
    if (config.codecAddress && codec) {
      const endpoint = startCodecEndpoint({
        address: config.codecAddress,
        codec,
        ...(config.authToken ? { authToken: config.authToken } : {}),
        corsOrigins: config.codecCorsOrigins,
        maxBodyBytes: config.maxMessageBytes,
      });
      codecUrl = endpoint.url;
      stops.unshift(() => endpoint.stop());
    }

    return {
      grpcAddress,
      ...(codecUrl ? { codecUrl } : {}),
      ...(httpUrl ? { httpUrl } : {}),
      tokenKey,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workerDone,
      stop: () => {
        stopping ??= (async () => {
          for (const stop of stops) await stop();
          await clientConnection.close();
          await connection.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => undefined);
    await clientConnection.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    throw err;
  }
}
