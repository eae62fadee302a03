/**
 * Deployed documents and their schedules, on the real dev server: deploy (idempotent), list,
 * start by reference, `run: workflow` finding a deployed document, schedules firing, redeployed
 * in place, paused, triggered and removed with their deployment; an `after` schedule run by the
 * registry itself; bad input answered with codes.
 * With BATON_RECORD_HISTORIES=1 the registry's and the deployment-finding parent's histories are
 * written to specs/histories/, where replay.test.ts replays them.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import type {
  DeployResponse,
  ListDeploymentsResponse,
  ListSchedulesResponse,
  Schedule,
  WorkflowReference,
} from '@baton/proto';
import { ExecutionPhase } from '@baton/proto';
import { generateCodecKey } from '../../src/codec/index.ts';
import { deploymentWorkflowId, scheduleIdOf } from '../../src/contract/index.ts';
import { connectRunner } from './support/grpc-client.ts';
import { DIAGNOSTICS_TRAILER } from '../../src/service/errors.ts';
import type { RequestProblem } from '../../src/service/errors.ts';
import { testTemporal } from '../../../test/temporal-env.ts';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';
import { recordHistory } from '../support/record-history.ts';

setDefaultTimeout(90_000);

let stack: Stack;
let temporal: Client;
let connection: Connection;
const NS = uniqueName('deploy');

beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: testTemporal().address });
  temporal = new Client({ connection, namespace: testTemporal().namespace });
});
afterAll(async () => {
  await stack?.stop();
  await connection?.close();
});

type Callback<T> = (error: ServiceError | null, value: T) => void;
/** One unary call of the runner's service by method name, over the real gRPC client. */
function call<Req, Res>(method: string, request: Req): Promise<Res> {
  const raw = stack.client.raw as unknown as Record<string, (req: Req, cb: Callback<Res>) => unknown>;
  return new Promise((resolve, reject) => raw[method]!.call(stack.client.raw, request, (error, value) => (error ? reject(error) : resolve(value))));
}
const deploy = (workflowYaml: string) => call<{ workflowYaml: string }, DeployResponse>('deploy', { workflowYaml });
const undeploy = (reference: WorkflowReference) => call('undeploy', { reference });
const listDeployments = () => call<{ namespace: string }, ListDeploymentsResponse>('listDeployments', { namespace: NS });
const listSchedules = () => call<{ namespace: string }, ListSchedulesResponse>('listSchedules', { namespace: NS });
const scheduleCall = (method: string, reference: WorkflowReference) => call(method, { reference, reason: 'test' });

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

function diagnostics(error: ServiceError): RequestProblem[] {
  const raw = (error.metadata as Metadata | undefined)?.get(DIAGNOSTICS_TRAILER)[0];
  return raw === undefined ? [] : (JSON.parse(String(raw)) as RequestProblem[]);
}

function doc(name: string, body: string, schedule = ''): string {
  return `document: { dsl: '1.0.3', namespace: ${NS}, name: ${name}, version: '1.0.0' }
${schedule}
do:
${body}`;
}

const ref = (name: string): WorkflowReference => ({ namespace: NS, name, version: '1.0.0' });

function record(workflowId: string, name: string): Promise<void> {
  return recordHistory(temporal.workflow.getHandle(workflowId), name);
}

test('deploy is idempotent, lists the document, and executeAsync starts it by reference', async () => {
  const yaml = doc('greeter', `  - greet:\n      set:\n        greeting: \${ "Hello, \\(.name)!" }\n`);
  const first = await deploy(yaml);
  expect(first.changed).toBe(true);
  expect(first.deployment?.revision).toBe(1);
  expect(first.deployment?.reference).toEqual(ref('greeter'));
  const again = await deploy(yaml);
  expect(again.changed).toBe(false);
  expect(again.deployment?.revision).toBe(1);
  const changed = await deploy(`${yaml}  - shout:\n      set:\n        greeting: \${ .greeting + "!" }\n`);
  expect(changed.deployment?.revision).toBe(2);

  const listed = await eventually(listDeployments, (list) => list.deployments.some((d) => d.reference?.name === 'greeter'));
  expect(listed.deployments.find((d) => d.reference?.name === 'greeter')?.revision).toBe(2);

  const id = uniqueName('by-ref');
  const execution = await stack.client.execute({ workflowExecutionId: id, workflowReference: ref('greeter'), input: { name: 'Ada' } });
  expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  expect(execution.output).toEqual({ greeting: 'Hello, Ada!!' });

  // A redeploy is what the next start by reference runs (no runner keeps the old revision).
  await deploy(`${yaml}  - whisper:\n      set:\n        greeting: \${ .greeting + "..." }\n`);
  const next = await stack.client.execute({ workflowExecutionId: uniqueName('by-ref'), workflowReference: ref('greeter'), input: { name: 'Ada' } });
  expect(next.output).toEqual({ greeting: 'Hello, Ada!...' });
});

test('run: workflow finds a deployed document', async () => {
  await deploy(doc('child', `  - double:\n      set:\n        doubled: \${ .n * 2 }\n`));
  const parent = doc(
    'parent',
    `  - call:\n      run:\n        workflow:\n          namespace: ${NS}\n          name: child\n          version: '1.0.0'\n          input: { n: 21 }\n`,
  );
  const parentId = uniqueName('parent');
  const execution = await stack.client.execute({ workflowExecutionId: parentId, workflowYaml: parent });
  expect(execution.phase).toBe(ExecutionPhase.EXECUTION_COMPLETED);
  expect(execution.output).toEqual({ doubled: 42 });
  await record(parentId, 'run-workflow-deployed');

  // Not deployed (and in no catalogue): the task fails with a configuration error, the execution with it.
  const missing = parent.replace('name: child', 'name: nobody');
  const failed = await stack.client.execute({ workflowExecutionId: uniqueName('orphan'), workflowYaml: missing });
  expect(failed.phase).toBe(ExecutionPhase.EXECUTION_FAILED);
  expect(failed.error?.detail).toContain('neither deployed nor in');
});

test('bad input: unknown reference NOT_FOUND, both sources or bad YAML INVALID_ARGUMENT with diagnostics', async () => {
  const unknown = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('x'), workflowReference: ref('never-deployed') }));
  expect(unknown.code).toBe(GrpcStatus.NOT_FOUND);
  expect(unknown.details).toContain(`${NS}/never-deployed/1.0.0`);

  const both = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('x'), workflowYaml: 'do: []', workflowReference: ref('greeter') }));
  expect(both.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect(diagnostics(both).map((p) => p.code)).toContain('SOURCE_AMBIGUOUS');

  const incomplete = await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('x'), workflowReference: { namespace: NS, name: '', version: '' } }));
  expect(incomplete.code).toBe(GrpcStatus.INVALID_ARGUMENT);

  const bad = await rejection(deploy(doc('bad', '  - oops:\n      sett: {}\n', "schedule:\n  cron: '61 * * * *'")));
  expect(bad.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  const codes = diagnostics(bad).map((p) => `${p.code} ${p.line}`);
  expect(codes).toContain('SW204 3');
  expect(codes.some((c) => c.startsWith('SW205'))).toBe(true);

  // A semantic version has no length bound; past the deployment key's, the ids built from it could pass Temporal's.
  const longVersion = `1.0.0-${'v'.repeat(300)}`;
  const overLong = await rejection(deploy(doc('long', '  - a:\n      set: { x: 1 }\n').replace("version: '1.0.0'", `version: '${longVersion}'`)));
  expect(overLong.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect(overLong.details).toContain('shorten document.version');

  const empty = await rejection(deploy(''));
  expect(empty.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  expect((await rejection(undeploy(ref('never-deployed')))).code).toBe(GrpcStatus.NOT_FOUND);
  expect((await rejection(scheduleCall('pauseSchedule', ref('greeter')))).code).toBe(GrpcStatus.NOT_FOUND);
});

test('the file catalogue seeds deployments', async () => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/baton-seed-${crypto.randomUUID()}`;
  await Bun.write(`${dir}/seeded.yaml`, doc('seeded', `  - hi:\n      set:\n        seeded: true\n`));
  const seeding = await startStack({ catalogueDir: dir });
  try {
    const listed = await eventually(listDeployments, (list) => list.deployments.some((d) => d.reference?.name === 'seeded'));
    expect(listed.deployments.find((d) => d.reference?.name === 'seeded')?.revision).toBe(1);
    // Seeding is a deploy: another runner (the shared stack) starts it by reference.
    const execution = await stack.client.execute({ workflowExecutionId: uniqueName('seeded'), workflowReference: ref('seeded') });
    expect(execution.output).toEqual({ seeded: true });
  } finally {
    await seeding.stop();
  }
});

test('a schedule fires, is updated in place, paused, triggered and removed with its deployment', async () => {
  const body = `  - tick:\n      set:\n        ticked: true\n`;
  const first = await deploy(doc('ticker', body, 'schedule:\n  every: PT2S'));
  expect(first.message).toContain('schedule created');
  const scheduleId = first.deployment!.scheduleId;
  expect(scheduleId).toBe(`baton-schedule/${NS}/ticker/1.0.0`);
  expect(first.deployment?.schedule).toBe('every 2s');

  const ticker = (list: ListSchedulesResponse): Schedule | undefined => list.schedules.find((s) => s.scheduleId === scheduleId);
  // Fires within 20 s: a run started by the schedule completes with the document's output.
  const fired = await eventually(listSchedules, (list) => (ticker(list)?.lastExecutionId ?? '') !== '', 20_000);
  const firstRun = ticker(fired)!;
  expect(firstRun.lastExecutionId.startsWith(`baton-scheduled/${NS}/ticker/1.0.0`)).toBe(true);
  expect(firstRun.nextRunTimes.length).toBeGreaterThan(0);
  const run = await eventually(() => stack.client.getExecution(firstRun.lastExecutionId), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED);
  expect(run.output).toEqual({ ticked: true });

  // Redeploy with another clock: the same schedule, changed in place.
  const handle = temporal.schedule.getHandle(scheduleId);
  const before = await handle.describe();
  const second = await deploy(doc('ticker', body, "schedule:\n  cron: '0 3 * * *'"));
  expect(second.message).toContain('schedule updated');
  expect(second.deployment?.scheduleId).toBe(scheduleId);
  const after = await handle.describe();
  expect(after.spec.intervals).toEqual([]);
  expect(after.spec.calendars?.length ?? 0).toBeGreaterThan(0);
  expect(after.info.createdAt).toEqual(before.info.createdAt);
  expect(after.info.recentActions.length).toBeGreaterThanOrEqual(before.info.recentActions.length);
  const listed = await listSchedules();
  expect(ticker(listed)?.spec).toBe('cron 0 3 * * *');
  expect(ticker(listed)?.nextRunTimes[0]?.getUTCHours()).toBe(3);

  // Pause: no next runs, paused with the note; trigger still starts one run now.
  await scheduleCall('pauseSchedule', ref('ticker'));
  const paused = ticker(await listSchedules())!;
  expect(paused.paused).toBe(true);
  expect(paused.nextRunTimes).toEqual([]);
  expect(paused.note).toBe('test');
  const actionsBefore = (await handle.describe()).info.numActionsTaken;
  await scheduleCall('triggerSchedule', ref('ticker'));
  const triggered = await eventually(() => handle.describe(), (d) => d.info.numActionsTaken > actionsBefore, 20_000);
  expect(triggered.info.numActionsTaken).toBe(actionsBefore + 1);
  // A redeploy keeps the schedule paused (the state is the operator's, not the document's).
  await deploy(doc('ticker', `${body}  - again:\n      set:\n        twice: true\n`, "schedule:\n  cron: '0 4 * * *'"));
  expect((await handle.describe()).state.paused).toBe(true);
  await scheduleCall('resumeSchedule', ref('ticker'));
  expect((await handle.describe()).state.paused).toBe(false);

  // Undeploy: the schedule goes with it, and the reference no longer starts anything.
  await undeploy(ref('ticker'));
  const gone = await handle.describe().then(() => undefined, (error: unknown) => error);
  expect(gone).toBeInstanceOf(ScheduleNotFoundError);
  expect((await rejection(stack.client.executeAsync({ workflowExecutionId: uniqueName('x'), workflowReference: ref('ticker') }))).code).toBe(GrpcStatus.NOT_FOUND);
  const afterUndeploy = await eventually(listDeployments, (list) => !list.deployments.some((d) => d.reference?.name === 'ticker'));
  expect(afterUndeploy.deployments.some((d) => d.reference?.name === 'ticker')).toBe(false);

  await record(deploymentWorkflowId(ref('ticker')), 'deployment-registry');

  // Deploying again starts afresh at revision 1.
  const back = await deploy(doc('ticker', body));
  expect(back.deployment?.revision).toBe(1);
  expect(back.deployment?.scheduleId).toBe('');
});

test('an after schedule starts each run after the previous ended, changes in place, pauses, triggers and stops on undeploy', async () => {
  // Each run lasts about 2 s: spacing counted from starts instead of ends would show up at once.
  const body = `  - slow:\n      wait: PT2S\n  - done:\n      set:\n        done: true\n`;
  const first = await deploy(doc('waiter', body, 'schedule:\n  after: PT2S'));
  expect(first.message).toContain('schedule created');
  const registryId = deploymentWorkflowId(ref('waiter'));
  expect(first.deployment?.scheduleId).toBe(registryId);
  expect(first.deployment?.schedule).toBe('after 2s');
  // No Temporal Schedule: the registry workflow itself runs the loop.
  expect(await temporal.schedule.getHandle(scheduleIdOf(ref('waiter'))).describe().then(() => 'exists', () => 'absent')).toBe('absent');

  const registry = temporal.workflow.getHandle(registryId);
  /** The runs the registry started, in order, as Temporal recorded them. */
  const runs = async () => {
    const history = await registry.fetchHistory();
    const ids = (history.events ?? []).flatMap((event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    return Promise.all(ids.map((id) => temporal.workflow.getHandle(id).describe()));
  };
  const two = await eventually(runs, (list) => list.length >= 2, 30_000);
  const [run1, run2] = two;
  expect(run1!.workflowId.startsWith(`baton-scheduled/${NS}/waiter/1.0.0-`)).toBe(true);
  expect(run1!.status.name).toBe('COMPLETED');
  expect(run1!.closeTime).toBeDefined();
  const gap = run2!.startTime.getTime() - run1!.closeTime!.getTime();
  console.log(`after PT2S: second run started ${gap} ms after the first ended (Temporal's times)`);
  expect(gap).toBeGreaterThanOrEqual(2_000);
  const output = await stack.client.getExecution(run1!.workflowId);
  expect(output.output).toEqual({ done: true });

  // Redeploy with a longer wait: the same registry, the loop's interval changed in place.
  const second = await deploy(doc('waiter', body, 'schedule:\n  after: PT1H'));
  expect(second.message).toContain('schedule updated');
  const waiter = (list: ListSchedulesResponse): Schedule | undefined => list.schedules.find((s) => s.scheduleId === registryId);
  const waiting = waiter(await eventually(listSchedules, (list) => (waiter(list)?.nextRunTimes.length ?? 0) > 0, 30_000))!;
  expect(waiting.spec).toBe('after 1h');
  const settled = await runs();
  const last = settled.at(-1)!;
  expect(waiting.lastExecutionId).toBe(last.workflowId);
  const due = waiting.nextRunTimes[0]!.getTime() - last.closeTime!.getTime();
  expect(due).toBeGreaterThanOrEqual(3_600_000);
  expect(due).toBeLessThan(3_600_000 + 10_000);

  // Pause: no next run, the note shown; trigger starts one now even so, and refuses while it runs.
  await scheduleCall('pauseSchedule', ref('waiter'));
  const paused = waiter(await listSchedules())!;
  expect(paused.paused).toBe(true);
  expect(paused.note).toBe('test');
  expect(paused.nextRunTimes).toEqual([]);
  await scheduleCall('triggerSchedule', ref('waiter'));
  // (The triggered run waits 2 s: the second trigger arrives while it is going.)
  await eventually(runs, (list) => list.length === settled.length + 1, 20_000);
  const busy = await rejection(scheduleCall('triggerSchedule', ref('waiter')));
  expect(busy.code).toBe(GrpcStatus.FAILED_PRECONDITION);
  expect(busy.details).toContain('has a run going');
  await scheduleCall('resumeSchedule', ref('waiter'));
  expect(waiter(await listSchedules())?.paused).toBe(false);

  // Back to a short wait, then undeploy: the loop ends with its registry, and nothing more starts.
  await deploy(doc('waiter', body, 'schedule:\n  after: PT1S'));
  await undeploy(ref('waiter'));
  const closed = await eventually(() => registry.describe(), (d) => d.status.name !== 'RUNNING');
  expect(closed.status.name).toBe('COMPLETED');
  const startedBefore = (await runs()).length;
  await Bun.sleep(3_000);
  expect((await runs()).length).toBe(startedBefore);
  expect(waiter(await listSchedules())).toBeUndefined();

  await record(registryId, 'deployment-registry-after');
});

test('a registry redeployed many times continues as new and keeps its document, revision and memo', async () => {
  const yaml = doc('busy', `  - hi:\n      set:\n        busy: true\n`);
  await deploy(yaml);
  const handle = temporal.workflow.getHandle(deploymentWorkflowId(ref('busy')));
  const firstRun = (await handle.describe()).runId;
  // An unchanged deploy adds about 2.7 events (concurrent Updates share workflow tasks); past
  // 2,000 the registry starts afresh.
  for (let batch = 0; batch < 90; batch++) {
    await Promise.all(Array.from({ length: 10 }, () => deploy(yaml)));
  }
  const now = await handle.describe();
  expect(now.runId).not.toBe(firstRun);
  expect(now.historyLength).toBeLessThan(2_000);
  expect((await deploy(yaml)).deployment?.revision).toBe(1);
  const execution = await stack.client.execute({ workflowExecutionId: uniqueName('busy'), workflowReference: ref('busy') });
  expect(execution.output).toEqual({ busy: true });
  const listed = await eventually(listDeployments, (list) => list.deployments.some((d) => d.reference?.name === 'busy'));
  expect(listed.deployments.find((d) => d.reference?.name === 'busy')?.revision).toBe(1);
});

test('with payload encryption the document is not in clear in history, and listing, starts by reference and scheduled runs still work', async () => {
  const marker = `marker-${crypto.randomUUID()}`;
  const encrypted = await startStack({ codecKeys: [generateCodecKey()] });
  const client = connectRunner(encrypted.runner.grpcAddress);
  const raw = client.raw as unknown as Record<string, (req: unknown, cb: Callback<unknown>) => unknown>;
  const rawCall = <T>(method: string, request: unknown) =>
    new Promise<T>((resolve, reject) => raw[method]!.call(client.raw, request, (e, v) => (e ? reject(e) : resolve(v as T))));
  try {
    const yaml = doc('secretive', `  - hi:\n      set:\n        said: ${marker}\n`, 'schedule:\n  every: PT1H');
    const deployed = await rawCall<DeployResponse>('deploy', { workflowYaml: yaml });
    expect(deployed.deployment?.revision).toBe(1);
    const listed = await eventually(
      () => rawCall<ListDeploymentsResponse>('listDeployments', { namespace: NS }),
      (list) => list.deployments.some((d) => d.reference?.name === 'secretive'),
    );
    expect(listed.deployments.find((d) => d.reference?.name === 'secretive')?.schedule).toBe('every 1h');
    // A runner without the key still lists the rest: the one memo it cannot decode is left out.
    const withoutKey = await listDeployments();
    expect(withoutKey.deployments.some((d) => d.reference?.name === 'greeter')).toBe(true);
    expect(withoutKey.deployments.some((d) => d.reference?.name === 'secretive')).toBe(false);
    const execution = await client.execute({ workflowExecutionId: uniqueName('secretive'), workflowReference: ref('secretive') });
    expect(execution.output).toEqual({ said: marker });

    // The registry's history and the schedule's arguments, read without the codec, hide the document.
    const history = await temporal.workflow.getHandle(deploymentWorkflowId(ref('secretive'))).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(marker);
    expect(Buffer.from(JSON.stringify(history)).toString('base64')).not.toContain(Buffer.from(marker).toString('base64'));
    // (The test's own client holds no key, so the schedule is read through the runner.)
    await rawCall('triggerSchedule', { reference: ref('secretive'), reason: '' });
    const ran = await eventually(
      () => rawCall<ListSchedulesResponse>('listSchedules', { namespace: NS }),
      (list) => list.schedules.some((s) => s.scheduleId === scheduleIdOf(ref('secretive')) && s.lastExecutionId !== ''),
    );
    const runId = ran.schedules.find((s) => s.scheduleId === scheduleIdOf(ref('secretive')))!.lastExecutionId;
    const run = await eventually(() => client.getExecution(runId), (e) => e.phase === ExecutionPhase.EXECUTION_COMPLETED);
    expect(run.output).toEqual({ said: marker });
    await rawCall('undeploy', { reference: ref('secretive') });
  } finally {
    client.close();
    await encrypted.stop();
  }
});
