/**
 * A promise-shaped gRPC client of the runner service for tests and the benchmark: real grpc-js
 * over loopback, errors kept as grpc ServiceErrors so tests can read codes and trailers.
 */
import { credentials, Metadata } from '@grpc/grpc-js';
import type { ChannelCredentials, ServiceError } from '@grpc/grpc-js';
import { WorkflowRunnerServiceControllerClient } from '@baton/proto';
import type {
  CancelExecutionRequest,
  Execution,
  PauseExecutionRequest,
  ResumeExecutionRequest,
  WorkflowExecuteInput,
  WorkflowExecuteResponse,
} from '@baton/proto';

export interface RunnerClient {
  readonly raw: WorkflowRunnerServiceControllerClient;
  executeAsync(input: Partial<WorkflowExecuteInput>): Promise<WorkflowExecuteResponse>;
  execute(input: Partial<WorkflowExecuteInput>): Promise<Execution>;
  getExecution(executionId: string): Promise<Execution>;
  cancelExecution(request: Partial<CancelExecutionRequest>): Promise<void>;
  pauseExecution(request: Partial<PauseExecutionRequest>): Promise<void>;
  resumeExecution(request: Partial<ResumeExecutionRequest>): Promise<void>;
  watch(executionId: string): Promise<Execution[]>;
  close(): void;
}

export function executeInput(input: Partial<WorkflowExecuteInput>): WorkflowExecuteInput {
  return {
    workflowExecutionId: '',
    workflowYaml: '',
    callbackToken: new Uint8Array(0),
    input: undefined,
    callbackNamespace: '',
    workflowReference: undefined,
    ...input,
  };
}

export function connectRunner(address: string, bearer?: string, channel: ChannelCredentials = credentials.createInsecure()): RunnerClient {
  const raw = new WorkflowRunnerServiceControllerClient(address, channel);
  const metadata = () => {
    const md = new Metadata();
    if (bearer) md.set('authorization', `Bearer ${bearer}`);
    return md;
  };
  const call = <Req, Res>(method: (req: Req, md: Metadata, cb: (err: ServiceError | null, res: Res) => void) => unknown, req: Req) =>
    new Promise<Res>((resolve, reject) => {
      method.call(raw, req, metadata(), (err, res) => (err ? reject(err) : resolve(res)));
    });
  return {
    raw,
    executeAsync: (input) => call(raw.executeAsync, executeInput(input)),
    execute: (input) => call(raw.execute, executeInput(input)),
    getExecution: (executionId) => call(raw.getExecution, { executionId }),
    cancelExecution: async (request) => {
      await call(raw.cancelExecution, { executionId: '', reason: '', force: false, ...request });
    },
    pauseExecution: async (request) => {
      await call(raw.pauseExecution, { executionId: '', reason: '', ...request });
    },
    resumeExecution: async (request) => {
      await call(raw.resumeExecution, { executionId: '', reason: '', ...request });
    },
    watch: (executionId) =>
      new Promise<Execution[]>((resolve, reject) => {
        const seen: Execution[] = [];
        const stream = raw.watchExecution({ executionId }, metadata());
        stream.on('data', (message: Execution) => seen.push(message));
        stream.on('error', reject);
        stream.on('end', () => resolve(seen));
      }),
    close: () => raw.close(),
  };
}
