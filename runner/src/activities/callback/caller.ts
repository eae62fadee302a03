/**
 * Talking to the caller's parked activity: open the sealed token, then complete, fail, cancel or
 * heartbeat it through the Temporal client of the caller's namespace. Used by the callback
 * activities and by the service (a finished execution answering a retried caller at once, a
 * forced termination failing the callback).
 *
 * Every answer is classified: final outcomes (LOST, FAILED_DELIVERY) are values; transient
 * problems are thrown as CallerUnreachableError so the caller of this module retries.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ActivityCancelledError,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
  AsyncCompletionClient,
  isGrpcServiceError,
  NamespaceNotFoundError,
} from '@temporalio/client';
import type { ConnectionLike } from '@temporalio/client';
import type { CallbackTarget } from '../../contract/index.ts';
import { SealedTokenError } from '../../token/seal.ts';
import type { TokenSealer } from '../../token/seal.ts';
import { callerFailure, cancelledCallerFailure } from '../../contract/index.ts';
import type { CallbackCancellation, CallerAction, DeliveryReport } from '../../contract/index.ts';

export type { CallerAction } from '../../contract/index.ts';

/** The server refused the token for a reason retrying will not fix (malformed, wrong namespace...). */
export class CallerRejectedError extends Error {
  override readonly name = 'CallerRejectedError';
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Temporal did not answer (down, overloaded, timed out): worth retrying. */
export class CallerUnreachableError extends Error {
  override readonly name = 'CallerUnreachableError';
}

const FINAL_GRPC_CODES = new Set<number>([
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.UNAUTHENTICATED,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNIMPLEMENTED,
]);

/** Keeps the gRPC code the stock client drops, so final and transient refusals can be told apart. */
class CodedCompletionClient extends AsyncCompletionClient {
  protected override handleError(err: unknown): never {
    if (isGrpcServiceError(err) && err.code !== GrpcStatus.NOT_FOUND) {
      const message = err.details || err.message;
      if (FINAL_GRPC_CODES.has(err.code)) throw new CallerRejectedError(err.code, message);
    }
    return super.handleError(err);
  }
}

/** A final answer: the token will never be usable again. */
export type Undeliverable = Exclude<DeliveryReport, { readonly state: 'COMPLETED' }>;

export type HeartbeatAnswer = 'listening' | 'cancelled' | Undeliverable;

export interface CallerLinkOptions {
  readonly connection: ConnectionLike;
  readonly sealer: TokenSealer;
  /** Used when a target names no namespace: the runner's own. */
  readonly defaultNamespace: string;
  /** A span per delivery (the end of the caller's trace); none when tracing is off. */
  readonly tracer?: Tracer;
}

export interface CallerLink {
  deliver(target: CallbackTarget, executionId: string, action: CallerAction): Promise<DeliveryReport>;
  heartbeat(target: CallbackTarget, executionId: string): Promise<HeartbeatAnswer>;
}

export function createCallerLink(options: CallerLinkOptions): CallerLink {
  const clients = new Map<string, CodedCompletionClient>();
  const clientFor = (namespace: string): CodedCompletionClient => {
    const name = namespace || options.defaultNamespace;
    let client = clients.get(name);
    if (!client) {
      client = new CodedCompletionClient({ connection: options.connection, namespace: name });
      clients.set(name, client);
    }
    return client;
  };

  const withToken = async <T>(
    target: CallbackTarget,
    executionId: string,
    use: (client: CodedCompletionClient, token: Uint8Array) => Promise<T>,
  ): Promise<T | Undeliverable> => {
    let token: Uint8Array;
    try {
      token = options.sealer.open(target.sealedToken, executionId);
    } catch (err) {
      if (err instanceof SealedTokenError) return { state: 'FAILED_DELIVERY', error: err.message };
      throw err;
    }
    try {
      return await use(clientFor(target.namespace), token);
    } catch (err) {
      return classify(err, target);
    }
  };

  const deliver = async (target: CallbackTarget, executionId: string, action: CallerAction): Promise<DeliveryReport> =>
    withToken(target, executionId, async (client, token) => {
      switch (action.kind) {
        case 'complete':
          await client.complete(token, action.output);
          break;
        case 'fail':
          await client.fail(token, callerFailure(action.failure));
          break;
        case 'cancel':
          await reportCancelled(client, token, action.cancellation);
          break;
      }
      return { state: 'COMPLETED' } as const;
    });

  return {
    deliver: options.tracer ? traced(options.tracer, deliver) : deliver,
    async heartbeat(target, executionId) {
      try {
        return await withToken(target, executionId, async (client, token) => {
          try {
            await client.heartbeat(token, { workflow_execution_id: executionId });
          } catch (err) {
            // A paused or reset caller activity is still waiting for us; only its own workflow acts on that.
            if (!(err instanceof ActivityPausedError || err instanceof ActivityResetError)) throw err;
          }
          return 'listening' as const;
        });
      } catch (err) {
        if (err instanceof ActivityCancelledError) return 'cancelled';
        throw err;
      }
    },
  };
}

/**
 * Each delivery in a span of its own, child of the activity (or service call) that delivers it:
 * the last step of the caller's trace. The token appears only as its hint.
 */
function traced(tracer: Tracer, deliver: CallerLink['deliver']): CallerLink['deliver'] {
  return (target, executionId, action) =>
    tracer.startActiveSpan(
      `DeliverCallback:${action.kind}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'baton.execution_id': executionId,
          'baton.callback.action': action.kind,
          'baton.callback.namespace': target.namespace,
          'baton.callback.token_hint': target.tokenHint,
        },
      },
      async (span) => {
        try {
          const report = await deliver(target, executionId, action);
          span.setAttribute('baton.callback.state', report.state);
          if (report.state !== 'COMPLETED') span.setStatus({ code: SpanStatusCode.ERROR, message: report.error });
          return report;
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      },
    );
}

/**
 * Temporal accepts a reported cancellation only when the caller asked for one, and a failure only
 * as an ApplicationFailure. When the runner side cancelled (cancelExecution), the activity is
 * failed with type BatonExecutionCancelled instead.
 */
async function reportCancelled(client: CodedCompletionClient, token: Uint8Array, cancellation: CallbackCancellation): Promise<void> {
  try {
    await client.reportCancellation(token, cancellation);
  } catch (err) {
    if (!(err instanceof CallerRejectedError)) throw err;
    await client.fail(token, cancelledCallerFailure(cancellation));
  }
}

function classify(err: unknown, target: CallbackTarget): Undeliverable {
  if (err instanceof ActivityNotFoundError) {
    return {
      state: 'LOST',
      error: `the caller's activity (token ${target.tokenHint}…) no longer exists: it timed out, finished, or was retried`,
    };
  }
  if (err instanceof CallerRejectedError) {
    return { state: 'FAILED_DELIVERY', error: `Temporal rejected the callback token ${target.tokenHint}…: ${err.message}` };
  }
  if (err instanceof NamespaceNotFoundError) {
    return { state: 'FAILED_DELIVERY', error: `the caller's namespace does not exist: ${err.message}` };
  }
  if (err instanceof ActivityCancelledError) throw err;
  throw new CallerUnreachableError(`could not reach the caller's activity: ${err instanceof Error ? err.message : String(err)}`);
}
