/**
 * `bun run demo`: the token handshake, step by step, on a real local stack.
 *
 * Uses the Temporal server at TEMPORAL_ADDRESS (default 127.0.0.1:7233) and the runner at
 * BATON_RUNNER_ADDRESS (default 127.0.0.1:50051) when they answer, e.g. under `bun run local`;
 * otherwise starts a dev server (with its Web UI) and a runner in this process. Then a caller
 * worker runs a workflow that sends a YAML workflow with a 5 s `wait` to the runner, and the demo
 * shows the caller's activity parked on the server (no worker holding it, heartbeated by the
 * runner) until the runner's completion brings the result.
 */
import { credentials, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { callbackDeliveryToJSON, executionPhaseToJSON, ExecutionPhase, WorkflowRunnerServiceControllerClient } from '@baton/proto';
import type { Execution } from '@baton/proto';
import { defaultConfig } from '../../runner/src/config.ts';
import { startRunner } from '../../runner/src/runner.ts';
import { startDevServer } from '../../runner/src/temporal/dev-server.ts';
import { createRunnerActivities } from './activity.ts';
import type { ExecuteOnRunnerArgs } from './types.ts';

const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const RUNNER_ADDRESS = process.env.BATON_RUNNER_ADDRESS ?? '127.0.0.1:50051';
/** The Web UI of an already running server; `bun run local` serves it here. */
const EXISTING_UI_URL = process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';

const DEMO_YAML = `document:
  dsl: '1.0.0'
  namespace: demo
  name: slow-greeting
  version: '1.0.0'
do:
  - think:
      wait: PT5S
  - greet:
      set:
        greeting: \${ "Hello, " + $input.name + ", from a YAML workflow on Baton" }
`;

const PENDING_ACTIVITY_STATES: Record<number, string> = { 1: 'SCHEDULED', 2: 'STARTED', 3: 'CANCEL_REQUESTED', 4: 'PAUSED', 5: 'PAUSE_REQUESTED' };

interface Stack {
  /** True when this process started the server: the UI links die with it. */
  readonly ownsServer: boolean;
  readonly temporalAddress: string;
  readonly uiUrl: string;
  readonly runnerAddress: string;
  stop(): Promise<void>;
}

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}

function detail(label: string, value: unknown): void {
  console.log(`    ${label.padEnd(28)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const connection = await NativeConnection.connect({ address });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

function runnerClient(address: string): WorkflowRunnerServiceControllerClient {
  return new WorkflowRunnerServiceControllerClient(address, credentials.createInsecure());
}

function getExecution(runner: WorkflowRunnerServiceControllerClient, executionId: string, timeoutMs = 5_000): Promise<Execution> {
  return new Promise((resolve, reject) =>
    runner.getExecution({ executionId }, new Metadata(), { deadline: Date.now() + timeoutMs }, (error: ServiceError | null, execution: Execution) =>
      error ? reject(error) : resolve(execution),
    ),
  );
}

/** A runner answers NOT_FOUND for an unknown execution; silence means none is there. */
async function runnerAnswers(address: string): Promise<boolean> {
  const runner = runnerClient(address);
  try {
    await getExecution(runner, 'baton-demo-probe', 1_500);
    return true;
  } catch (error) {
    return (error as ServiceError).code === GrpcStatus.NOT_FOUND;
  } finally {
    runner.close();
  }
}

async function ensureStack(): Promise<Stack> {
  const stops: (() => Promise<void>)[] = [];
  let temporalAddress = TEMPORAL_ADDRESS;
  let uiUrl = EXISTING_UI_URL;
  if (await temporalAnswers(TEMPORAL_ADDRESS)) {
    detail('Temporal server', `${TEMPORAL_ADDRESS} (already running)`);
  } else {
    const server = await startDevServer({ ui: true, namespace: NAMESPACE });
    temporalAddress = server.address;
    uiUrl = server.uiUrl ?? uiUrl;
    stops.unshift(() => server.stop());
    detail('Temporal server', `${temporalAddress} (dev server started for this demo, in memory)`);
  }
  let runnerAddress = RUNNER_ADDRESS;
  if (temporalAddress === TEMPORAL_ADDRESS && (await runnerAnswers(RUNNER_ADDRESS))) {
    detail('Baton runner', `${RUNNER_ADDRESS} (already running)`);
  } else {
    const runner = await startRunner(
      defaultConfig({
        grpcAddress: '127.0.0.1:0',
        temporal: { connection: { address: temporalAddress }, namespace: NAMESPACE },
        taskQueue: `baton-demo-${process.pid}`,
        // Often enough that the 5 s workflow shows a few heartbeats reaching the parked activity.
        heartbeatIntervalMs: 2_000,
      }),
      { log: { info: () => undefined, warn: () => undefined } },
    );
    runnerAddress = runner.grpcAddress;
    stops.unshift(() => runner.stop());
    detail('Baton runner', `${runnerAddress} (started in this process)`);
  }
  detail('Temporal Web UI', uiUrl);
  return {
    ownsServer: temporalAddress !== TEMPORAL_ADDRESS,
    temporalAddress,
    uiUrl,
    runnerAddress,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}

/**
 * Waits until the caller's activity is parked: started on the server, the runner working, and no
 * activity in flight on the caller's worker any more.
 */
async function waitUntilParked(caller: WorkflowHandle, worker: Worker, runner: WorkflowRunnerServiceControllerClient, executionId: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [description, execution] = await Promise.all([caller.describe(), getExecution(runner, executionId).catch(() => undefined)]);
    const activity = description.raw.pendingActivities?.[0];
    const started = activity && PENDING_ACTIVITY_STATES[activity.state ?? 0] === 'STARTED';
    if (started && execution?.phase === ExecutionPhase.EXECUTION_IN_PROGRESS && worker.getStatus().numInFlightActivities === 0) {
      return { activity, execution };
    }
    await Bun.sleep(100);
  }
  throw new Error(`the caller's activity did not park within 30 s; see ${callerIdHint(caller)}`);
}

function callerIdHint(caller: WorkflowHandle): string {
  return `\`temporal workflow describe --workflow-id ${caller.workflowId}\``;
}

function timestamp(seconds: unknown, nanos: unknown): string {
  return new Date(Number(seconds ?? 0) * 1000 + Math.floor(Number(nanos ?? 0) / 1e6)).toISOString();
}

/** Prints each heartbeat the runner sends to the parked activity until `done` settles; counts them. */
async function followHeartbeats(caller: WorkflowHandle, done: Promise<unknown>): Promise<number> {
  let beats = 0;
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  let last = '';
  while (!finished) {
    const activity = (await caller.describe().catch(() => undefined))?.raw.pendingActivities?.[0];
    const beat = activity?.lastHeartbeatTime ? timestamp(activity.lastHeartbeatTime.seconds, activity.lastHeartbeatTime.nanos) : '';
    if (beat && beat !== last) {
      last = beat;
      beats++;
      const payload = activity?.heartbeatDetails?.payloads?.[0];
      const details = payload ? ` ${JSON.stringify(defaultPayloadConverter.fromPayload(payload))}` : '';
      detail('server: heartbeat', `${beat} from the runner, not the caller${details}`);
    }
    await Bun.sleep(250);
  }
  return beats;
}

async function main(): Promise<void> {
  // The demo's own lines tell the story; the SDK's lifecycle chatter would bury them.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  step('Local stack');
  const stack = await ensureStack();
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress, connectTimeout: 5_000 });
  const client = new Client({ connection, namespace: NAMESPACE });
  const runner = runnerClient(stack.runnerAddress);
  const handle = createRunnerActivities({ runner: stack.runnerAddress });
  const taskQueue = `baton-demo-caller-${process.pid}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: NAMESPACE,
    taskQueue,
    workflowsPath: new URL('./demo-workflow.ts', import.meta.url).pathname,
    activities: handle.activities,
    interceptors: { activity: handle.activityInterceptors },
  });
  const stamp = new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15);
  const args: ExecuteOnRunnerArgs = { workflowExecutionId: `demo-yaml-${stamp}`, workflowYaml: DEMO_YAML, input: { name: 'Ada' } };
  const callerId = `demo-caller-${stamp}`;

  try {
    await worker.runUntil(async () => {
      step('A caller workflow asks the runner to run a YAML workflow (wait 5 s, then greet)');
      const caller = await client.workflow.start('demoCaller', { taskQueue, workflowId: callerId, args: [args] });
      detail('caller workflow', callerId);
      detail('YAML execution id', args.workflowExecutionId);

      const { activity, execution } = await waitUntilParked(caller, worker, runner, args.workflowExecutionId);
      step("The caller's activity sent its task token and threw CompleteAsyncError: it is parked");
      detail('server: activity', `${activity.activityType?.name} #${activity.activityId}, attempt ${activity.attempt}`);
      detail('server: state', PENDING_ACTIVITY_STATES[activity.state ?? 0] ?? String(activity.state));
      detail('caller worker: in flight', `${worker.getStatus().numInFlightActivities} activities (no slot held while parked)`);
      detail('runner: execution phase', executionPhaseToJSON(execution.phase));
      detail('runner: callback', callbackDeliveryToJSON(execution.callback?.delivery ?? 0));

      step('Waiting for the runner to finish and complete the parked activity…');
      const started = Date.now();
      const resulting = caller.result();
      if ((await followHeartbeats(caller, resulting)) === 0) {
        detail('server: heartbeat', "none: the runner's first beat comes one --heartbeat-interval after the start");
      }
      const result = await resulting;
      const finished = await getExecution(runner, args.workflowExecutionId);
      step(`The result arrived ${((Date.now() - started) / 1000).toFixed(1)} s later`);
      detail('caller workflow result', result);
      detail('runner: execution phase', executionPhaseToJSON(finished.phase));
      detail('runner: callback', callbackDeliveryToJSON(finished.callback?.delivery ?? 0));
    });

    step('See both workflows in the Temporal Web UI');
    detail('caller', `${stack.uiUrl}/namespaces/${NAMESPACE}/workflows/${callerId}`);
    detail('YAML workflow (runner)', `${stack.uiUrl}/namespaces/${NAMESPACE}/workflows/${args.workflowExecutionId}`);
    if (stack.ownsServer && process.stdin.isTTY) {
      console.log('\nThe dev server started for this demo keeps running so the links work. Press Ctrl-C to stop it.');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    handle.close();
    runner.close();
    await connection.close();
    await nativeConnection.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`baton demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
