/**
 * One real worker (bundled interpreter + HTTP activity) on a unique task queue of the test
 * harness's dev server, a client, and helpers that compile a YAML document and run it.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { compileWorkflow } from '@baton/dsl';
import type { Plan } from '@baton/dsl';
import { testTemporal, uniqueTaskQueue } from '../../../test/temporal-env.ts';
import { createWorker, type CreateWorkerOptions } from '../../src/temporal/worker.ts';
import { createHttpActivities } from '../../src/activities/http.ts';
import type { EgressPolicy } from '../../src/egress/index.ts';
import { INTERPRETER_WORKFLOW_TYPE } from '../../src/contract/index.ts';
import type { InterpreterArgs, WorkflowError } from '../../src/contract/index.ts';

export interface Harness {
  readonly client: Client;
  readonly taskQueue: string;
  readonly worker: Worker;
  start(plan: Plan, input: unknown, extra?: Partial<InterpreterArgs>): Promise<WorkflowHandleWithFirstExecutionRunId>;
  stop(): Promise<void>;
}

/** The tests' HTTP servers listen on loopback, which the egress policy refuses unless allowed. */
export const LOOPBACK_ALLOWED: EgressPolicy = { allow: new Set(['loopback']) };

/**
 * `activities` are added to (and override) the interpreter's own, e.g. HTTP with secrets; by
 * default the HTTP activity may reach loopback.
 */
export async function startHarness(prefix: string, activities?: CreateWorkerOptions['activities']): Promise<Harness> {
  const { address, namespace } = testTemporal();
  const taskQueue = uniqueTaskQueue(prefix);
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    activities: activities ?? { ...createHttpActivities({ egress: LOOPBACK_ALLOWED }) },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  const client = new Client({ connection, namespace });
  return {
    client,
    taskQueue,
    worker,
    start(plan, input, extra = {}) {
      const executionId = extra.executionId ?? `${prefix}-${crypto.randomUUID()}`;
      const args: InterpreterArgs = { executionId, plan, input, ...extra };
      return client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: executionId, args: [args] });
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}

export function compileYaml(source: string, file: string): Plan {
  const result = compileWorkflow(source, { file });
  if (!result.ok) {
    throw new Error(`${file} does not compile:\n${JSON.stringify(result.diagnostics, null, 2)}`);
  }
  return result.plan;
}

export function compileFile(path: string, substitutions: Record<string, string> = {}): Plan {
  let source = readFileSync(path, 'utf8');
  for (const [placeholder, value] of Object.entries(substitutions)) source = source.replaceAll(placeholder, value);
  return compileYaml(source, path);
}

/** The WorkflowError a failed execution reports, read the way a client would. */
export async function failureOf(handle: WorkflowHandle): Promise<WorkflowError> {
  try {
    const output = await handle.result();
    throw new Error(`expected the workflow to fail, it returned ${JSON.stringify(output)}`);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause as { type?: string; details?: unknown[] } | undefined;
    const problem = cause?.details?.[0] as WorkflowError | undefined;
    if (!problem) throw new Error(`failure without a WorkflowError: ${String(error.cause)}`);
    if (cause?.type !== problem.type) throw new Error(`failure type ${cause?.type} differs from error type ${problem.type}`);
    return problem;
  }
}
