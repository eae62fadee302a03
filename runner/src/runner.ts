/**
 * One runner process: the Temporal worker (interpreter workflow, task and callback activities)
 * and the gRPC service, sharing one Temporal connection. Local mode and the CLI call
 * `startRunner`; tests and benchmarks too. Either half can run alone (`role`), e.g. workers
 * scaled apart from the service.
 */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TelemetryOptions } from '@temporalio/worker';
import { compileWorkflow } from '@baton/dsl';
import { createCallbackActivities } from './activities/callback.ts';
import { createGrpcActivities } from './activities/grpc.ts';
import { createMcpActivities } from './activities/mcp.ts';
import { createCatalogFunctionActivities } from './activities/catalog-functions.ts';
import { createDeploymentActivities } from './activities/deployments.ts';
import { createHttpActivities } from './activities/http.ts';
import { createOpenApiActivities } from './activities/openapi.ts';
import { createRunActivities, withRunPolicyCheck } from './activities/run/index.ts';
import { createCallerLink } from './activities/callback/caller.ts';
import type { RunnerConfig } from './config.ts';
import { withStaticEndpointCheck } from './egress/index.ts';
import { runnerDataConverter, startCodecEndpoint } from './codec/index.ts';
import { livenessRoute, startHttpServer } from './http/index.ts';
import { loadCatalogue } from './service/catalogue.ts';
import { cachedCompiler } from './service/compile-cache.ts';
import { Deployments } from './service/deployments.ts';
import { seedDeployments } from './service/seed-deployments.ts';
import { Executions } from './service/executions.ts';
import type { CompileWorkflow } from './service/requests.ts';
import { startServiceServer } from './service/server.ts';
import { createWorker } from './temporal/worker.ts';
import { redactTaskTokens } from './token/redact-logs.ts';
import { createTokenSealer, generateTokenKey } from './token/seal.ts';

export type RunnerRole = 'all' | 'service' | 'worker';

/**
 * Telemetry for `Runtime.install` (once per process, before `startRunner`): a Prometheus endpoint
 * at `--metrics-address` with the Temporal SDK's metrics and Baton's callback metrics.
 */
export function runtimeTelemetry(config: Pick<RunnerConfig, 'metricsAddress'>): TelemetryOptions | undefined {
  if (!config.metricsAddress) return undefined;
  return { metrics: { prometheus: { bindAddress: config.metricsAddress, countersTotalSuffix: true } } };
}

export interface StartRunnerOptions {
  readonly role?: RunnerRole;
  /** Where the runner reports what it does; console by default. */
  readonly log?: RunnerLog;
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

const consoleLog: RunnerLog = {
  info: (message, fields) => console.info(`[baton] ${message}`, fields ?? ''),
  warn: (message, fields) => console.warn(`[baton] ${message}`, fields ?? ''),
};

export async function startRunner(config: RunnerConfig, options: StartRunnerOptions = {}): Promise<Runner> {
  const role = options.role ?? 'all';
  const log = options.log ?? consoleLog;
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
  const link = createCallerLink({ connection: clientConnection, sealer, defaultNamespace: config.temporal.namespace });
  // One client of the runner's namespace for the service and the deployment activities alike.
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, ...(dataConverter ? { dataConverter } : {}) });
  const limits = { maxPayloadBytes: config.maxPayloadBytes };
  const zigflowEnv = Object.keys(config.zigflowEnv).length > 0 ? config.zigflowEnv : undefined;
  const stops: (() => Promise<void>)[] = [];
  let workerDone: Promise<void> = new Promise(() => undefined);
  try {
    if (role !== 'service') {
      const callDocuments = { egress: config.egress, secrets: config.secrets, ...(config.callDocumentsDir ? { documentsDir: config.callDocumentsDir } : {}) };
      const created = await createWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.taskQueue,
        maxPayloadBytes: config.maxPayloadBytes,
        activities: {
          ...createHttpActivities({ secrets: config.secrets, egress: config.egress }),
          ...createOpenApiActivities(callDocuments),
          ...createGrpcActivities(callDocuments),
          ...createCatalogFunctionActivities(callDocuments),
          ...createMcpActivities({ egress: config.egress, secrets: config.secrets, run: config.run }),
          ...createRunActivities({ policy: config.run, egress: config.egress }),
          ...createCallbackActivities({ link, connection: clientConnection, sealer, defaultNamespace: config.temporal.namespace }),
          ...createDeploymentActivities({ client, compile, limits, ...(zigflowEnv ? { env: zigflowEnv } : {}) }),
        },
        workerOptions: {
          maxConcurrentActivityTaskExecutions: config.workerConcurrency,
          maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.min(config.workerConcurrency, 100)),
          maxConcurrentLocalActivityExecutions: config.workerConcurrency,
          interceptors: { activity: [redactTaskTokens] },
          ...(dataConverter ? { dataConverter } : {}),
        },
      });
      workerDone = created.run();
      workerDone.catch((err: unknown) => log.warn('worker stopped with an error', { error: String(err) }));
      stops.push(async () => {
        if (created.getState() === 'RUNNING') created.shutdown();
        await workerDone.catch(() => undefined);
      });
    }

    let grpcAddress = '';
    if (role !== 'worker') {
      const executions = new Executions({
        client,
        taskQueue: config.taskQueue,
        sealer,
        callbackNamespace: config.callbackNamespace,
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        limits,
        ...(zigflowEnv ? { env: zigflowEnv } : {}),
        ...(catalogue ? { catalogue } : {}),
        warn: (message, fields) => log.warn(message, fields),
      });
      const deployments = new Deployments({ client, taskQueue: config.taskQueue, compile, warn: (message, fields) => log.warn(message, fields) });
      const server = await startServiceServer({
        address: config.grpcAddress,
        ...(config.tls ? { tls: config.tls } : {}),
        ...(config.authToken ? { authToken: config.authToken } : {}),
        ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
        maxMessageBytes: config.maxMessageBytes,
        maxYamlBytes: config.maxYamlBytes,
        admission: { maxConcurrent: config.maxConcurrentStarts, maxQueued: config.maxQueuedStarts },
        compile,
        executions,
        deployments,
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

    let httpUrl: string | undefined;
    if (config.httpAddress) {
      const http = startHttpServer({
        address: config.httpAddress,
        routes: [livenessRoute],
        ...(config.authToken ? { authToken: config.authToken } : {}),
        maxBodyBytes: config.maxMessageBytes,
        warn: (message, fields) => log.warn(message, fields),
      });
      httpUrl = http.url;
      stops.unshift(() => http.stop());
    }

    let stopping: Promise<void> | undefined;
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
