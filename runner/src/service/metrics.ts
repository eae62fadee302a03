/**
 * The service's metrics: every rpc answered, by method and gRPC status, with its latency, and the
 * problems of refused requests by code, so a dashboard shows which mistakes callers make.
 * Emitted through the Temporal runtime's meter, exported with the SDK's own metrics.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { MetricMeter } from '@temporalio/common';
import { GRPC_REQUEST_DURATION_METRIC, GRPC_REQUESTS_METRIC, VALIDATION_FAILURES_METRIC } from '../contract/index.ts';
import type { RequestProblem } from './errors.ts';

export interface ServiceMetrics {
  answered(method: string, code: GrpcStatus, durationMs: number): void;
  /** One count per distinct problem code of a refused request. */
  refused(problems: readonly RequestProblem[]): void;
}

export function serviceMetrics(meter: MetricMeter): ServiceMetrics {
  const requests = meter.createCounter(GRPC_REQUESTS_METRIC, '1', 'rpcs the service answered, by method and status');
  const latency = meter.createHistogram(GRPC_REQUEST_DURATION_METRIC, 'int', 'ms', 'time to answer an rpc, by method and status');
  const failures = meter.createCounter(VALIDATION_FAILURES_METRIC, '1', 'problems found in refused requests, by code');
  return {
    answered(method, code, durationMs) {
      const tags = { method, code: GrpcStatus[code] ?? String(code) };
      requests.add(1, tags);
      latency.record(Math.max(0, Math.round(durationMs)), tags);
    },
    refused(problems) {
      for (const code of new Set(problems.map((problem) => problem.code))) failures.add(1, { code });
    },
  };
}
