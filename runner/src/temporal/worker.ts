/**
 * A worker that runs the interpreter workflow and the task activities on one task queue.
 * Bundling the workflow code is slow (seconds), so the bundle is built once per process and
 * shared by every worker created here.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { NativeConnection, WorkerOptions, WorkflowBundle } from '@temporalio/worker';
import { loadCatalogFunction } from '../activities/catalog-functions.ts';
import { grpcCall } from '../activities/grpc.ts';
import { httpCall } from '../activities/http.ts';
import { mcpCall } from '../activities/mcp.ts';
import { openApiCall } from '../activities/openapi.ts';
import { runContainer, runScript, runShell } from '../activities/run/index.ts';
import { createSearchAttributeActivities } from '../activities/search-attributes.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../workflow/payload-size.ts';
import { payloadLimitInterceptor } from './payload-limit.ts';

const CALL_HEARTBEAT_INTERVAL = '1 second';

export const INTERPRETER_WORKFLOWS_PATH = fileURLToPath(new URL('../workflow/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundle> | undefined;

/** The interpreter workflow bundle, built on first use. */
export function interpreterBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: INTERPRETER_WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundle;
}

/** The activities the interpreter schedules for I/O tasks, keyed by activity type. */
export const interpreterActivities = { httpCall, openApiCall, grpcCall, mcpCall, loadCatalogFunction, runShell, runScript, runContainer } as const;

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Added to (and overriding) the interpreter's own activities. */
  readonly activities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Largest activity result, as JSON bytes (default DEFAULT_MAX_PAYLOAD_BYTES). */
  readonly maxPayloadBytes?: number;
  /** Anything else Temporal's Worker accepts (concurrency limits, interceptors, identity …). */
  readonly workerOptions?: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath'>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const interceptors = options.workerOptions?.interceptors;
  const payloadLimit = payloadLimitInterceptor(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  return Worker.create({
    // Call activities heartbeat every second so a cancellation (task timeout, cancelled execution)
    // reaches them and aborts their request; the SDK's default sends one heartbeat per 30 s when
    // no heartbeat timeout is set, which left a cancelled call running that long.
    defaultHeartbeatThrottleInterval: CALL_HEARTBEAT_INTERVAL,
    ...options.workerOptions,
    interceptors: { ...interceptors, activity: [payloadLimit, ...(interceptors?.activity ?? [])] },
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await interpreterBundle(),
    activities: { ...interpreterActivities, ...createSearchAttributeActivities(options.connection, options.namespace), ...options.activities },
  });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
