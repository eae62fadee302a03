/** The CLI's connection to a runner, with errors turned into sentences a person can act on. */
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  type CloudEvent,
  type DeployResponse,
  type Deployment,
  type Execution,
  type ListDeploymentsResponse,
  type ListSchedulesResponse,
  type QueryExecutionResponse,
  type UpdateExecutionResponse,
  type Schedule,
  type WorkflowReference,
  WorkflowRunnerServiceControllerClient,
  type WorkflowExecuteInput,
  type WorkflowExecuteResponse,
} from '@baton/proto';
import { CliError, ExitCode } from './errors.ts';

/** Where `bun run local` serves gRPC (the runner's default --grpc-address). */
export const DEFAULT_RUNNER_ADDRESS = '127.0.0.1:50051';

export interface RunnerTarget {
  readonly address: string;
  readonly token?: string;
  readonly tls?: boolean;
}

export interface RunnerClient {
  executeAsync(input: WorkflowExecuteInput): Promise<WorkflowExecuteResponse>;
  getExecution(executionId: string): Promise<Execution>;
  /** Snapshots until the stream ends; aborting `signal` ends it quietly (no error). */
  watchExecution(executionId: string, signal?: AbortSignal): AsyncIterable<Execution>;
  cancelExecution(executionId: string, force: boolean, reason: string): Promise<void>;
  pauseExecution(executionId: string, reason: string): Promise<void>;
  resumeExecution(executionId: string, reason: string): Promise<void>;
  signalExecution(executionId: string, name: string, payload: unknown): Promise<void>;
  queryExecution(executionId: string, name: string): Promise<unknown>;
  updateExecution(executionId: string, name: string, payload: unknown): Promise<unknown>;
  deploy(workflowYaml: string): Promise<DeployResponse>;
  undeploy(reference: WorkflowReference): Promise<void>;
  listDeployments(namespace: string): Promise<Deployment[]>;
  listSchedules(namespace: string): Promise<Schedule[]>;
  changeSchedule(change: 'pause' | 'resume' | 'trigger', reference: WorkflowReference, reason: string): Promise<void>;
  /** The number of events the bus recorded. */
  publishEvents(events: CloudEvent[]): Promise<number>;
  close(): void;
}

export function connectRunner(target: RunnerTarget): RunnerClient {
  const client = new WorkflowRunnerServiceControllerClient(
    target.address,
    target.tls ? credentials.createSsl() : credentials.createInsecure(),
  );
  const metadata = () => {
    const md = new Metadata();
    if (target.token) md.set('authorization', `Bearer ${target.token}`);
    return md;
  };
  const explain = (error: unknown) => explainRunnerError(error, target.address);
  const unary = <T>(call: (md: Metadata, done: (error: ServiceError | null, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => call(metadata(), (error, value) => (error ? reject(explain(error)) : resolve(value))));

  return {
    executeAsync: (input) => unary((md, done) => client.executeAsync(input, md, done)),
    getExecution: (executionId) => unary((md, done) => client.getExecution({ executionId }, md, done)),
    async *watchExecution(executionId, signal) {
      const stream = client.watchExecution({ executionId }, metadata());
      // Cancelling the call wakes a reader that waits for a snapshot that may never come.
      const stop = () => stream.cancel();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const execution of stream) yield execution as Execution;
      } catch (error) {
        if (signal?.aborted) return;
        throw explain(error);
      } finally {
        signal?.removeEventListener('abort', stop);
        stream.cancel();
      }
    },
    cancelExecution: async (executionId, force, reason) => {
      await unary((md, done) => client.cancelExecution({ executionId, force, reason }, md, done));
    },
    pauseExecution: async (executionId, reason) => {
      await unary((md, done) => client.pauseExecution({ executionId, reason }, md, done));
    },
    resumeExecution: async (executionId, reason) => {
      await unary((md, done) => client.resumeExecution({ executionId, reason }, md, done));
    },
    signalExecution: async (executionId, name, payload) => {
      await unary((md, done) => client.signalExecution({ executionId, name, payload }, md, done));
    },
    queryExecution: async (executionId, name) =>
      (await unary<QueryExecutionResponse>((md, done) => client.queryExecution({ executionId, name }, md, done))).result ?? null,
    updateExecution: async (executionId, name, payload) =>
      (await unary<UpdateExecutionResponse>((md, done) => client.updateExecution({ executionId, name, payload }, md, done))).result ?? null,
    deploy: (workflowYaml) => unary((md, done) => client.deploy({ workflowYaml }, md, done)),
    publishEvents: async (events) => (await unary<{ accepted: number }>((md, done) => client.publishEvents({ events }, md, done))).accepted,
    undeploy: async (reference) => {
      await unary((md, done) => client.undeploy({ reference }, md, done));
    },
    listDeployments: async (namespace) =>
      (await unary<ListDeploymentsResponse>((md, done) => client.listDeployments({ namespace }, md, done))).deployments,
    listSchedules: async (namespace) =>
      (await unary<ListSchedulesResponse>((md, done) => client.listSchedules({ namespace }, md, done))).schedules,
    changeSchedule: async (change, reference, reason) => {
      const request = { reference, reason };
      await unary((md, done) => {
        if (change === 'pause') client.pauseSchedule(request, md, done);
        else if (change === 'resume') client.resumeSchedule(request, md, done);
        else client.triggerSchedule(request, md, done);
      });
    },
    close: () => client.close(),
  };
}

function explainRunnerError(error: unknown, address: string): CliError {
  const grpcError = error as Partial<ServiceError>;
  const detail = grpcError.details || (error instanceof Error ? error.message : String(error));
  switch (grpcError.code) {
    case status.UNAVAILABLE:
      return new CliError(`cannot reach the Baton runner: is \`bun run local\` running? (tried ${address})`, ExitCode.runner);
    case status.UNAUTHENTICATED:
      return new CliError(`the runner at ${address} refused the credentials: ${detail}. Pass --token or set BATON_RUNNER_TOKEN.`, ExitCode.runner);
    case status.INVALID_ARGUMENT:
    case status.NOT_FOUND:
    case status.FAILED_PRECONDITION:
    case status.ALREADY_EXISTS:
      return new CliError(detail, ExitCode.failed);
    default:
      return new CliError(`the runner at ${address} answered with an error: ${detail}`, ExitCode.runner);
  }
}
