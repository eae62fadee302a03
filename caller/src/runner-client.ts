/**
 * The gRPC channel to the runner, reduced to the one call the caller makes. Errors come back
 * classified: a refusal (retrying won't help) or unreachable (worth retrying). The current trace
 * context travels in the call's metadata (W3C `traceparent`), so the runner's spans join the
 * caller's trace; without an OpenTelemetry SDK registered in the process that is a no-op.
 */
import { context, propagation } from '@opentelemetry/api';
import type { TextMapSetter } from '@opentelemetry/api';
import { credentials, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ChannelCredentials, ServiceError } from '@grpc/grpc-js';
import { WorkflowRunnerServiceControllerClient } from '@baton/proto';
import type { WorkflowExecuteInput, WorkflowExecuteResponse } from '@baton/proto';
import type { RunnerConnectionOptions } from './types.ts';

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** Codes that mean the runner or Temporal is down or slow right now. */
const TRANSIENT_CODES = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.ABORTED, GrpcStatus.CANCELLED]);

/** The runner's retry hint, in milliseconds, on a refusal worth retrying (busy, rate-limited). */
const RETRY_AFTER_TRAILER = 'baton-retry-after-ms';

/**
 * RESOURCE_EXHAUSTED is retryable only with the runner's retry hint (its start queue was full, or
 * Temporal rate-limited it); without one it is a request over the runner's size limits, which no
 * retry fixes.
 */
function retryAfterMs(error: ServiceError): number | undefined {
  if (error.code !== GrpcStatus.RESOURCE_EXHAUSTED) return undefined;
  const hint = Number(error.metadata?.get(RETRY_AFTER_TRAILER)[0]);
  return Number.isFinite(hint) && hint > 0 ? hint : undefined;
}

export class RunnerCallError extends Error {
  override readonly name = 'RunnerCallError';
  constructor(
    /** The gRPC status name, e.g. `INVALID_ARGUMENT`. */
    readonly code: string,
    readonly transient: boolean,
    message: string,
    /** How long the runner asked to wait before trying again, when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RunnerClient {
  executeAsync(input: WorkflowExecuteInput): Promise<WorkflowExecuteResponse>;
  close(): void;
}

export function connectRunner(options: RunnerConnectionOptions): RunnerClient {
  const client = new WorkflowRunnerServiceControllerClient(options.runner, channelCredentials(options));
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  return {
    executeAsync(input) {
      const metadata = new Metadata();
      if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
      propagation.inject(context.active(), metadata, metadataSetter);
      return new Promise((resolve, reject) => {
        client.executeAsync(input, metadata, { deadline: Date.now() + timeoutMs }, (error, response) => {
          if (error) reject(classify(error, options.runner));
          else resolve(response);
        });
      });
    },
    close: () => client.close(),
  };
}

const metadataSetter: TextMapSetter<Metadata> = { set: (metadata, key, value) => metadata.set(key, value) };

function channelCredentials(options: RunnerConnectionOptions): ChannelCredentials {
  if (!options.tls) return credentials.createInsecure();
  if (options.tls === true) return credentials.createSsl();
  const pair = options.tls.clientCertPair;
  return credentials.createSsl(
    toBuffer(options.tls.serverRootCACertificate),
    toBuffer(pair?.key),
    toBuffer(pair?.crt),
  );
}

function toBuffer(bytes: Uint8Array | undefined): Buffer | null {
  return bytes ? Buffer.from(bytes) : null;
}

function classify(error: ServiceError, runner: string): RunnerCallError {
  const code = GrpcStatus[error.code] ?? `CODE_${error.code}`;
  const retryAfter = retryAfterMs(error);
  const transient = TRANSIENT_CODES.has(error.code) || retryAfter !== undefined;
  const said = error.details || error.message;
  const message = transient ? `the runner at ${runner} did not answer (${code}): ${said}` : said;
  return new RunnerCallError(code, transient, message, retryAfter);
}
