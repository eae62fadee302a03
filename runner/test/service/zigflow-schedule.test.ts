/**
 * Zigflow's schedule metadata on a deployment, on the real dev server: the schedule starts the
 * workflow `scheduleWorkflowName` with `scheduleInput`'s argument as its input, its `$env`
 * evaluated with the runner's map when the schedule is written; what Baton cannot keep is refused.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import type { DeployResponse, ListSchedulesResponse, WorkflowReference } from '@baton/proto';
import { ExecutionPhase } from '@baton/proto';
import { Client, Connection, ScheduleNotFoundError, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { DEPLOYMENT_MEMO_KEY, DEPLOYMENT_WORKFLOW_TYPE, deploymentQuery, deploymentWorkflowId, deployUpdate } from '../../src/contract/index.ts';
import { DIAGNOSTICS_TRAILER } from '../../src/service/errors.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import type { RequestProblem } from '../../src/service/errors.ts';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';

setDefaultTimeout(90_000);

let stack: Stack;
let temporal: Client;
const NS = uniqueName('zigsched');

beforeAll(async () => {
  stack = await startStack({ zigflowEnv: { REGION: 'eu-west' } });
  temporal = new Client({ connection: await Connection.connect({ address: testTemporal().address }), namespace: testTemporal().namespace });
});
afterAll(async () => {
  await stack?.stop();
  await temporal?.connection.close();
});

type Callback<T> = (error: ServiceError | null, value: T) => void;
function call<Req, Res>(method: string, request: Req): Promise<Res> {
  const raw = stack.client.raw as unknown as Record<string, (req: Req, cb: Callback<Res>) => unknown>;
  return new Promise((resolve, reject) => raw[method]!.call(stack.client.raw, request, (error, value) => (error ? reject(error) : resolve(value))));
}
const deploy = (workflowYaml: string) => call<{ workflowYaml: string }, DeployResponse>('deploy', { workflowYaml });
const listSchedules = () => call<{ namespace: string }, ListSchedulesResponse>('listSchedules', { namespace: NS });
const ref = (name: string): WorkflowReference => ({ namespace: NS, name, version: '1.0.0' });

async function refusal(yaml: string): Promise<RequestProblem[]> {
  const error = await deploy(yaml).then(
    () => undefined,
    (failure: ServiceError) => failure,
  );
  expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  const raw = (error!.metadata as Metadata | undefined)?.get(DIAGNOSTICS_TRAILER)[0];
  return raw === undefined ? [] : (JSON.parse(String(raw)) as RequestProblem[]);
}

/** The messages down an error's cause chain, one string. */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
  return messages.join(' / ');
}

function zigflowDoc(name: string, metadata: string, schedule = 'every:\n    seconds: 2'): string {
  return `document:
  dsl: 1.0.0
  taskQueue: ${NS}
  workflowType: ${name}
  version: 1.0.0
  metadata:
${metadata}
schedule:
  ${schedule}
do:
  - echo:
      set:
        region: \${ $input.region }
        batch: \${ $input.batch }
`;
}

test('a schedule with Zigflow metadata fires the named workflow with scheduleInput as its input, $env evaluated', async () => {
  const deployed = await deploy(zigflowDoc('nightly', "    scheduleWorkflowName: nightly\n    scheduleInput:\n      - region: ${ $env.REGION }\n        batch: 7"));
  expect(deployed.message).toContain('schedule created');
  const scheduleId = deployed.deployment!.scheduleId;
  const fired = await eventually(listSchedules, (list) => (list.schedules.find((s) => s.scheduleId === scheduleId)?.lastExecutionId ?? '') !== '', 30_000);
  const runId = fired.schedules.find((s) => s.scheduleId === scheduleId)!.lastExecutionId;
  const run = await eventually(() => stack.client.getExecution(runId), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED, 30_000);
  expect(run.output).toEqual({ region: 'eu-west', batch: 7 });
  await call('undeploy', { reference: ref('nightly') });
});

test('metadata Baton cannot keep is refused at deploy with a code', async () => {
  const missing = await refusal(zigflowDoc('a', '    owner: ops'));
  expect(missing.map((p) => p.code)).toContain('SW201');
  const other = await refusal(zigflowDoc('b', '    scheduleWorkflowName: somethingElse'));
  expect(other.map((p) => p.code)).toContain('SW307');
  const id = await refusal(zigflowDoc('c', '    scheduleWorkflowName: c\n    scheduleId: ${ $env.REGION }'));
  expect(id.map((p) => p.code)).toContain('SW501');
  const two = await refusal(zigflowDoc('d', '    scheduleWorkflowName: d\n    scheduleInput: [{}, {}]'));
  expect(two.map((p) => p.code)).toContain('SW307');
  const execution = await refusal(zigflowDoc('e', '    scheduleWorkflowName: e\n    scheduleInput:\n      - at: ${ timestamp }'));
  expect(execution.map((p) => p.code)).toContain('SW402');
});

test('scheduleId names the Temporal Schedule: updated in place, replaced under a new id, managed by reference, removed on undeploy, never taken from another deployment', async () => {
  const first = `${NS}-nightly`;
  const second = `${NS}-nightly-v2`;
  const metadata = (name: string, id: string) => `    scheduleWorkflowName: ${name}\n    scheduleId: ${id}`;
  const exists = (id: string) => temporal.schedule.getHandle(id).describe().then((d) => d, (error: unknown) => (error instanceof ScheduleNotFoundError ? undefined : Promise.reject(error)));

  const created = await deploy(zigflowDoc('owner', metadata('owner', first), "cron: '0 3 * * *'"));
  expect(created.message).toContain('schedule created');
  expect(created.deployment?.scheduleId).toBe(first);
  expect((await exists(first))?.memo?.[DEPLOYMENT_MEMO_KEY]).toEqual(ref('owner'));
  expect(await exists(`baton-schedule/${NS}/owner/1.0.0`)).toBeUndefined();

  // The same id again: changed in place (same schedule, created once).
  const createdAt = (await exists(first))!.info.createdAt;
  const updated = await deploy(zigflowDoc('owner', metadata('owner', first), "cron: '0 4 * * *'"));
  expect(updated.message).toContain('schedule updated');
  expect((await exists(first))!.info.createdAt).toEqual(createdAt);

  // Pause, resume and trigger find it through the deployment; `baton schedules` lists it under its id.
  await call('pauseSchedule', { reference: ref('owner'), reason: 'test' });
  expect((await exists(first))!.state.paused).toBe(true);
  await call('resumeSchedule', { reference: ref('owner'), reason: 'test' });
  expect((await exists(first))!.state.paused).toBe(false);
  await call('triggerSchedule', { reference: ref('owner'), reason: 'test' });
  await eventually(() => exists(first), (d) => (d?.info.numActionsTaken ?? 0) > 0, 30_000);
  const listed = (await listSchedules()).schedules.find((s) => s.reference?.name === 'owner');
  expect(listed?.scheduleId).toBe(first);
  expect(listed?.spec).toBe('cron 0 4 * * *');

  // A second deployment asking for that id is refused, and nothing of either changes.
  const refused = await deploy(zigflowDoc('thief', metadata('thief', first), "cron: '0 5 * * *'")).then(
    () => undefined,
    (failure: ServiceError) => failure,
  );
  expect(refused?.code).toBe(GrpcStatus.ALREADY_EXISTS);
  expect(refused?.details).toContain(`the schedule id ${first} (document.metadata.scheduleId) is taken by the deployment ${NS}/owner/1.0.0`);
  const kept = (await exists(first))!;
  expect(kept.memo?.[DEPLOYMENT_MEMO_KEY]).toEqual(ref('owner'));
  expect(kept.spec.calendars?.[0]?.hour).toEqual([{ start: 4, end: 4, step: 1 }]);
  const thief = await call('undeploy', { reference: ref('thief') }).then(() => undefined, (failure: ServiceError) => failure);
  expect(thief?.code).toBe(GrpcStatus.NOT_FOUND);

  // Another id: the schedule is replaced (the new one created, the old one deleted).
  const replaced = await deploy(zigflowDoc('owner', metadata('owner', second), "cron: '0 6 * * *'"));
  expect(replaced.message).toContain('schedule replaced');
  expect(replaced.deployment?.scheduleId).toBe(second);
  expect(await exists(first)).toBeUndefined();
  expect((await exists(second))?.memo?.[DEPLOYMENT_MEMO_KEY]).toEqual(ref('owner'));
  // The freed id may now be another deployment's.
  const taken = await deploy(zigflowDoc('thief', metadata('thief', first), "cron: '0 5 * * *'"));
  expect(taken.deployment?.scheduleId).toBe(first);

  // Two deploys racing past the service's check: the registry's upsert refuses the later, and that
  // registry holds no document. Sent straight to a registry, as the service would.
  const racer = { namespace: NS, name: 'racer', version: '1.0.0' };
  const raced = await temporal.workflow
    .executeUpdateWithStart(deployUpdate, {
      args: [{ ref: racer, yaml: zigflowDoc('racer', metadata('racer', second), "cron: '0 7 * * *'"), digest: 'racer', schedule: { kind: 'cron', cron: '0 7 * * *' }, scheduleId: second }],
      startWorkflowOperation: new WithStartWorkflowOperation(DEPLOYMENT_WORKFLOW_TYPE, {
        workflowId: deploymentWorkflowId(racer),
        taskQueue: stack.config.taskQueue,
        args: [{ ref: racer, taskQueue: stack.config.taskQueue }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    })
    .then(() => undefined, (failure: unknown) => failure);
  expect(raced).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(causes(raced)).toContain(`the Temporal Schedule ${second} belongs to the deployment ${NS}/owner/1.0.0`);
  expect(await temporal.workflow.getHandle(deploymentWorkflowId(racer)).query(deploymentQuery)).toBeUndefined();
  expect((await exists(second))?.memo?.[DEPLOYMENT_MEMO_KEY]).toEqual(ref('owner'));
  await temporal.workflow.getHandle(deploymentWorkflowId(racer)).terminate('test over');

  // A schedule Baton did not make is no deployment's to take either.
  const foreign = `${NS}-foreign`;
  await temporal.schedule.create({
    scheduleId: foreign,
    spec: { cronExpressions: ['0 1 * * *'] },
    action: { type: 'startWorkflow', workflowType: 'someoneElses', taskQueue: 'elsewhere', args: [] },
  });
  const foreignRefused = await deploy(zigflowDoc('owner', metadata('owner', foreign), "cron: '0 6 * * *'")).then(() => undefined, (failure: ServiceError) => failure);
  expect(foreignRefused?.code).toBe(GrpcStatus.ALREADY_EXISTS);
  expect(foreignRefused?.details).toContain('taken by something other than a Baton deployment');
  expect((await exists(second))?.memo?.[DEPLOYMENT_MEMO_KEY]).toEqual(ref('owner'));
  await temporal.schedule.getHandle(foreign).delete();

  await call('undeploy', { reference: ref('owner') });
  await call('undeploy', { reference: ref('thief') });
  expect(await exists(second)).toBeUndefined();
  expect(await exists(first)).toBeUndefined();
});
