/**
 * The caller's side of the handshake, run in the test process on its own task queue (and, when
 * asked, in its own namespace): the activity calls executeAsync with its task token and throws
 * CompleteAsyncError, leaving the activity pending until Baton completes it.
 */
import { fileURLToPath } from 'node:url';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';
import type { WorkflowExecuteResponse } from '@baton/proto';
import type { RunnerClient } from './grpc-client.ts';

export interface CallerRequest {
  readonly executionId: string;
  readonly yaml: string;
  readonly input?: Record<string, unknown>;
  readonly callbackNamespace?: string;
  /** Send these bytes instead of the real task token. */
  readonly fakeToken?: string;
  /** Send executeAsync twice, as a client retrying a call whose answer was lost would. */
  readonly sendTwice?: boolean;
}

export interface CallerActivities {
  handOverToBaton(request: CallerRequest): Promise<unknown>;
}

export interface HandOver {
  readonly executionId: string;
  readonly attempt: number;
  readonly token: Uint8Array;
  readonly response: WorkflowExecuteResponse;
}

export interface CallerSide {
  readonly client: Client;
  readonly taskQueue: string;
  /** Every executeAsync the caller's activity made, in order. */
  readonly handOvers: HandOver[];
  stop(): Promise<void>;
}

let bundle: Promise<WorkflowBundle> | undefined;

export async function startCallerSide(options: {
  readonly address: string;
  readonly namespace: string;
  readonly runner: RunnerClient;
  readonly taskQueue: string;
}): Promise<CallerSide> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./caller-workflows.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  const connection = await NativeConnection.connect({ address: options.address });
  const handOvers: HandOver[] = [];
  const activities: CallerActivities = {
    async handOverToBaton(request) {
      const info = Context.current().info;
      const token = request.fakeToken === undefined ? info.taskToken : new TextEncoder().encode(request.fakeToken);
      const send = () =>
        options.runner.executeAsync({
          workflowExecutionId: request.executionId,
          workflowYaml: request.yaml,
          callbackToken: token,
          input: request.input,
          callbackNamespace: request.callbackNamespace ?? '',
        });
      handOvers.push({ executionId: request.executionId, attempt: info.attempt, token, response: await send() });
      if (request.sendTwice) handOvers.push({ executionId: request.executionId, attempt: info.attempt, token, response: await send() });
      throw new CompleteAsyncError();
    },
  };
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await bundle,
    activities,
  });
  const running = worker.run();
  const client = new Client({ connection, namespace: options.namespace });
  return {
    client,
    taskQueue: options.taskQueue,
    handOvers,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
