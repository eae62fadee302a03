/**
 * The signalExecution, queryExecution and updateExecution rpcs over real gRPC, behind the runner's
 * bearer token, against a running Zigflow-dialect execution on the dev server: a query answers
 * from the execution's state (also after it ended), an update gets its listener's `data` (also when
 * `acceptIf` refuses it), a signal completes a listen; unknown executions are NOT_FOUND, ended
 * ones FAILED_PRECONDITION, unknown or reserved names INVALID_ARGUMENT with a sentence.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { QueryExecutionResponse, UpdateExecutionResponse } from '@baton/proto';
import { ExecutionPhase } from '@baton/proto';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';

setDefaultTimeout(90_000);

const TOKEN = `token-${crypto.randomUUID()}`;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ authToken: TOKEN });
});
afterAll(async () => {
  await stack?.stop();
});

type Callback<T> = (error: ServiceError | null, value: T) => void;
function call<Res>(method: 'signalExecution' | 'queryExecution' | 'updateExecution' | 'deploy', request: Record<string, unknown>, token = TOKEN): Promise<Res> {
  const raw = stack.client.raw as unknown as Record<string, (req: unknown, md: Metadata, cb: Callback<Res>) => unknown>;
  const metadata = new Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => raw[method]!.call(stack.client.raw, request, metadata, (error, value) => (error ? reject(error) : resolve(value))));
}
const signal = (executionId: string, name: string, payload: unknown) => call<object>('signalExecution', { executionId, name, payload });
const query = async (executionId: string, name: string) => (await call<QueryExecutionResponse>('queryExecution', { executionId, name })).result;
const update = async (executionId: string, name: string, payload: unknown) => (await call<UpdateExecutionResponse>('updateExecution', { executionId, name, payload })).result;

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

const DOCUMENT = `document:
  dsl: 1.0.0
  taskQueue: messages
  workflowType: voting
  version: 1.0.0
do:
  - progress:
      listen:
        to:
          one:
            with:
              id: progress
              type: query
              data: '\${ { stage: $data.stage } }'
  - opening:
      set:
        stage: voting
  - vote:
      listen:
        to:
          one:
            with:
              id: vote
              type: update
              acceptIf: \${ $data.vote.ok }
              data: '\${ { counted: $data.vote.n } }'
  - closing:
      set:
        stage: approving
  - approval:
      listen:
        to:
          one:
            with:
              id: approve
              type: signal
  - done:
      set:
        stage: done
        approvedBy: \${ $data.approval.by }
`;

test('a caller without a Temporal client queries, updates and signals a listening execution', async () => {
  const id = uniqueName('voting');
  await stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: DOCUMENT });

  // The query is registered when its task runs and answers from the state as it is now.
  expect(await eventually(() => query(id, 'progress').catch(() => undefined), (answer) => answer !== undefined && (answer as { stage?: unknown }).stage === 'voting')).toEqual({ stage: 'voting' });

  // An update is received only while its listen waits; the first is refused by acceptIf, yet answered.
  const refused = await eventually(() => update(id, 'vote', { ok: false, n: 1 }).catch(() => undefined), (answer) => answer !== undefined);
  expect(refused).toEqual({ counted: 1 });
  expect(await update(id, 'vote', { ok: true, n: 2 })).toEqual({ counted: 2 });
  expect(await eventually(() => query(id, 'progress'), (answer) => (answer as { stage?: unknown }).stage === 'approving')).toEqual({ stage: 'approving' });

  // The vote listen is over: its handler is gone.
  const late = await refusal(update(id, 'vote', { ok: true, n: 3 }));
  expect(late.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect(late.details).toContain('no listen waiting for update "vote"');
  const unknownQuery = await refusal(query(id, 'nosuch'));
  expect(unknownQuery.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  const reserved = await refusal(query(id, 'status'));
  expect(reserved.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect((await refusal(signal(id, 'pause', null))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect((await refusal(update(id, 'batonCancel', null))).code).toBe(GrpcStatus.INVALID_ARGUMENT);

  await signal(id, 'approve', { by: 'ada' });
  const ended = await eventually(() => stack.client.getExecution(id), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED);
  expect(ended.output).toEqual({ stage: 'done', approvedBy: 'ada' });

  // After the end: a query still answers; a signal or an update cannot be delivered.
  expect(await query(id, 'progress')).toEqual({ stage: 'done' });
  const lateSignal = await refusal(signal(id, 'approve', { by: 'eve' }));
  expect(lateSignal.code).toBe(GrpcStatus.FAILED_PRECONDITION);
  expect(lateSignal.details).toContain('already ended');
  expect((await refusal(update(id, 'vote', { ok: true, n: 4 }))).code).toBe(GrpcStatus.FAILED_PRECONDITION);
});

test('unknown executions and workflows other than executions are NOT_FOUND, missing names and tokens refused', async () => {
  // A deployment's registry answers an `undeploy` update: it is no execution of these rpcs.
  const ns = uniqueName('msgs');
  await call('deploy', { workflowYaml: `document: { dsl: '1.0.3', namespace: ${ns}, name: kept, version: '1.0.0' }\ndo:\n  - a:\n      set: { a: 1 }\n` });
  const registry = await refusal(update(`baton-deployment/${ns}/kept/1.0.0`, 'undeploy', null));
  expect(registry.code).toBe(GrpcStatus.NOT_FOUND);

  const missing = await refusal(signal(uniqueName('ghost'), 'approve', {}));
  expect(missing.code).toBe(GrpcStatus.NOT_FOUND);
  expect((await refusal(query(uniqueName('ghost'), 'progress'))).code).toBe(GrpcStatus.NOT_FOUND);
  expect((await refusal(update(uniqueName('ghost'), 'vote', {}))).code).toBe(GrpcStatus.NOT_FOUND);
  expect((await refusal(signal(uniqueName('ghost'), '', {}))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
  const anonymous = await refusal(call('signalExecution', { executionId: uniqueName('ghost'), name: 'approve' }, ''));
  expect(anonymous.code).toBe(GrpcStatus.UNAUTHENTICATED);
});
