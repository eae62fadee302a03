/**
 * A worker that runs the interpreter workflow and the task activities on one task queue.
 * Bundling the workflow code is slow (seconds) and memory-hungry, so the bundle is built once per
 * process, in a child process, and shared by every worker created here.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import type { NativeConnection, WorkerOptions, WorkflowBundle } from '@temporalio/worker';
import { loadCatalogFunction } from '../activities/catalog-functions.ts';
import { grpcCall } from '../activities/grpc.ts';
import { asyncApiCall } from '../activities/asyncapi.ts';
import { httpCall } from '../activities/http.ts';
import { mcpCall } from '../activities/mcp.ts';
import { openApiCall } from '../activities/openapi.ts';
import { runContainer, runScript, runShell } from '../activities/run/index.ts';
import { createSearchAttributeActivities } from '../activities/search-attributes.ts';
import { silenceBunPromiseHookProbe } from '../log/index.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../workflow/payload-size.ts';
import type { WorkerTracing } from '../tracing/index.ts';
import { bundleInChildProcess } from './child-bundle.ts';
import { payloadLimitInterceptor } from './payload-limit.ts';
import { sharedWorkflowModules } from './shared-workflow-modules.ts';

const CALL_HEARTBEAT_INTERVAL = '1 second';

export const INTERPRETER_WORKFLOWS_PATH = fileURLToPath(new URL('../workflow/index.ts', import.meta.url));

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * The interpreter workflow bundle, built on first use; with tracing, a second bundle that also
 * holds the SDK's (deterministic) OpenTelemetry workflow interceptors, so a runner without tracing
 * runs exactly the code it ran before.
 */
export function interpreterBundle(workflowInterceptorModules: readonly string[] = []): Promise<WorkflowBundle> {
  const key = workflowInterceptorModules.join('\n');
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleInChildProcess({
      workflowsPath: INTERPRETER_WORKFLOWS_PATH,
      workflowInterceptorModules,
      // The SDK evaluates workflow modules afresh for every execution (per-execution isolation);
      // the modules without per-execution state are loaded once per context instead.
      preloadModules: sharedWorkflowModules(),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

/** The activities the interpreter schedules for I/O tasks, keyed by activity type. */
export const interpreterActivities = { httpCall, openApiCall, grpcCall, asyncApiCall, mcpCall, loadCatalogFunction, runShell, runScript, runContainer } as const;

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Added to (and overriding) the interpreter's own activities. */
  readonly activities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Largest activity result, as JSON bytes (default DEFAULT_MAX_PAYLOAD_BYTES). */
  readonly maxPayloadBytes?: number;
  /** Spans for the workflow and its activities; none when tracing is off. */
  readonly tracing?: WorkerTracing;
  /** Anything else Temporal's Worker accepts (concurrency limits, interceptors, identity …). */
  readonly workerOptions?: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath'>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  // The workflow threads this worker starts would each print the SDK's Bun probe warning.
  silenceBunPromiseHookProbe();
  const interceptors = options.workerOptions?.interceptors;
  const tracing = options.tracing;
  const payloadLimit = payloadLimitInterceptor(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  return Worker.create({
    // Call activities heartbeat every second so a cancellation (task timeout, cancelled execution)
    // reaches them and aborts their request; the SDK's default sends one heartbeat per 30 s when
    // no heartbeat timeout is set, which left a cancelled call running that long.
    defaultHeartbeatThrottleInterval: CALL_HEARTBEAT_INTERVAL,
    ...options.workerOptions,
    // The tracing interceptor comes first, so its span covers everything the others do.
    interceptors: { ...interceptors, activity: [...(tracing?.activityInterceptors ?? []), payloadLimit, ...(interceptors?.activity ?? [])] },
    ...(tracing ? { sinks: { ...options.workerOptions?.sinks, ...tracing.sinks } } : {}),
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await interpreterBundle(tracing?.workflowInterceptorModules),
    activities: { ...interpreterActivities, ...createSearchAttributeActivities(options.connection, options.namespace), ...options.activities },
  });
}
