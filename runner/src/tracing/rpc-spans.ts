/**
 * A server span around each gRPC call to the runner, continuing the caller's trace from the W3C
 * `traceparent`/`tracestate` it sent in the call's metadata (the caller library puts them there;
 * a Go caller's otelgrpc client handler does the same). The handler runs inside the span's
 * context, so the Temporal client interceptors make the workflow start its child.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TextMapGetter, Tracer } from '@opentelemetry/api';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Metadata } from '@grpc/grpc-js';

/** Ends the span with the status the call was answered with. */
export type EndRpcSpan = (code: number, message?: string) => void;

export interface RpcSpans {
  /** Runs `handle` inside a span named after `method`; `handle` calls `end` once it has answered. */
  serve<T>(method: string, metadata: Metadata, handle: (end: EndRpcSpan) => T): T;
}

/** The codes that mean the server failed; the others are the client's doing (OTel's RPC conventions). */
const SERVER_ERRORS: ReadonlySet<number> = new Set([
  GrpcStatus.UNKNOWN,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.UNIMPLEMENTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((value): value is string => typeof value === 'string');
    return values.length > 0 ? values : undefined;
  },
};

export function rpcSpans(tracer: Tracer, service: string): RpcSpans {
  return {
    serve(method, metadata, handle) {
      // Only what the caller sent: never a context that happens to be active in this process.
      const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
      const span = tracer.startSpan(
        `${service}/${method}`,
        { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method } },
        parent,
      );
      let ended = false;
      const end: EndRpcSpan = (code, message) => {
        if (ended) return;
        ended = true;
        span.setAttribute('rpc.grpc.status_code', code);
        if (SERVER_ERRORS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
        span.end();
      };
      return context.with(trace.setSpan(parent, span), () => handle(end));
    },
  };
}
