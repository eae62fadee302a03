/**
 * Signals, queries and updates sent to an execution through the runner (the `signalExecution`,
 * `queryExecution` and `updateExecution` rpcs), for the Zigflow-dialect `listen` (docs/zigflow.md):
 * a caller needs no Temporal client. Only interpreter executions are reachable — a deployment's
 * registry or the event router answer to message names of their own and must not be driven from
 * outside — and names the runner uses itself are refused, so these rpcs cannot pause, cancel or
 * feed events to an execution behind the runner's back.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { INTERPRETER_WORKFLOW_TYPE, pauseSignal, resumeSignal, retargetCallbackSignal, statusQuery } from '../contract/index.ts';
import { invalidArgument, RpcError } from './errors.ts';

export type MessageKind = 'signal' | 'query' | 'update';

/** Bounds one call to Temporal (Executions' deadline), so a dead server answers UNAVAILABLE. */
export type TemporalCall = <T>(call: () => Promise<T>) => Promise<T>;

/** The runner's own names per kind; any `baton<Capital>…` name (Baton's convention) and Temporal's `__…` too. */
const RESERVED: Readonly<Record<MessageKind, readonly string[]>> = {
  signal: [pauseSignal.name, resumeSignal.name, retargetCallbackSignal.name],
  query: [statusQuery.name],
  update: [],
};
const RESERVED_PREFIX = /^(?:__|baton[A-Z])/;
const NO_UPDATE_HANDLER = /No registered handler for update/i;
const MAX_NAME_LENGTH = 1_000;

export class ExecutionMessages {
  constructor(
    private readonly client: Client,
    private readonly temporal: TemporalCall,
  ) {}

  async signal(executionId: string, name: string, payload: unknown): Promise<void> {
    const handle = await this.target(executionId, name, 'signal');
    try {
      await this.temporal(() => handle.signal(name, payload ?? null));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw ended(executionId, 'signal');
      throw err;
    }
  }

  async query(executionId: string, name: string): Promise<unknown> {
    const handle = await this.target(executionId, name, 'query');
    try {
      return await this.temporal(() => handle.query<unknown>(name));
    } catch (err) {
      // Temporal answers both "no such query" and "the handler failed" this way; its sentence says which.
      if (err instanceof QueryNotRegisteredError) throw new RpcError(GrpcStatus.INVALID_ARGUMENT, `query "${name}" of execution "${executionId}" got no answer: ${err.message}`);
      if (err instanceof WorkflowNotFoundError) throw notFound(executionId);
      throw err;
    }
  }

  async update(executionId: string, name: string, payload: unknown): Promise<unknown> {
    const handle = await this.target(executionId, name, 'update');
    try {
      return await this.temporal(() => handle.executeUpdate<unknown, [unknown]>(name, { args: [payload ?? null] }));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause instanceof Error ? err.cause.message : 'the update failed';
        throw new RpcError(
          GrpcStatus.INVALID_ARGUMENT,
          NO_UPDATE_HANDLER.test(cause)
            ? `execution "${executionId}" has no listen waiting for update "${name}" now (an update is received only while its listen waits)`
            : `update "${name}" was refused by execution "${executionId}": ${cause}`,
        );
      }
      if (err instanceof WorkflowNotFoundError) throw ended(executionId, 'update');
      throw err;
    }
  }

  /** The execution's handle, once it is known to be an interpreter execution that may take this message. */
  private async target(executionId: string, name: string, kind: MessageKind): Promise<WorkflowHandle> {
    checkName(name, kind);
    const handle = this.client.workflow.getHandle(executionId);
    let description;
    try {
      description = await this.temporal(() => handle.describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(executionId);
      throw err;
    }
    if (description.type !== INTERPRETER_WORKFLOW_TYPE) throw notFound(executionId);
    // A query is answered after the end too (Zigflow's meaning: the answer stays available).
    if (kind !== 'query' && description.status.name !== 'RUNNING') {
      throw new RpcError(GrpcStatus.FAILED_PRECONDITION, `execution "${executionId}" already ended ${description.status.name}; cannot ${kind} it`);
    }
    return handle;
  }
}

function checkName(name: string, kind: MessageKind): void {
  if (name === '') throw invalidArgument([{ field: 'name', code: 'NAME_MISSING', message: `is required: the ${kind}'s name (the listener's with.id)` }]);
  if (name.length > MAX_NAME_LENGTH) throw invalidArgument([{ field: 'name', code: 'NAME_TOO_LONG', message: `is ${name.length} characters; at most ${MAX_NAME_LENGTH} are allowed` }]);
  if (RESERVED_PREFIX.test(name) || RESERVED[kind].includes(name)) {
    throw invalidArgument([{ field: 'name', code: 'NAME_RESERVED', message: `'${name}' is a ${kind} name the runner or Temporal uses itself; a listen cannot use it` }]);
  }
}

function notFound(executionId: string): RpcError {
  return new RpcError(GrpcStatus.NOT_FOUND, `no execution with id "${executionId}"`);
}

function ended(executionId: string, kind: MessageKind): RpcError {
  return new RpcError(GrpcStatus.FAILED_PRECONDITION, `execution "${executionId}" has ended; cannot ${kind} it`);
}
