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
import { DIAGNOSTICS_TRAILER } from '../../src/service/errors.ts';
import type { RequestProblem } from '../../src/service/errors.ts';
import { eventually, startStack, uniqueName } from './support/stack.ts';
import type { Stack } from './support/stack.ts';

setDefaultTimeout(90_000);

let stack: Stack;
const NS = uniqueName('zigsched');

beforeAll(async () => {
  stack = await startStack({ zigflowEnv: { REGION: 'eu-west' } });
});
afterAll(async () => {
  await stack?.stop();
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

function zigflowDoc(name: string, metadata: string): string {
  return `document:
  dsl: 1.0.0
  taskQueue: ${NS}
  workflowType: ${name}
  version: 1.0.0
  metadata:
${metadata}
schedule:
  every:
    seconds: 2
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
  const id = await refusal(zigflowDoc('c', '    scheduleWorkflowName: c\n    scheduleId: my-schedule'));
  expect(id.map((p) => p.code)).toContain('SW501');
  const two = await refusal(zigflowDoc('d', '    scheduleWorkflowName: d\n    scheduleInput: [{}, {}]'));
  expect(two.map((p) => p.code)).toContain('SW307');
  const execution = await refusal(zigflowDoc('e', '    scheduleWorkflowName: e\n    scheduleInput:\n      - at: ${ timestamp }'));
  expect(execution.map((p) => p.code)).toContain('SW402');
});
