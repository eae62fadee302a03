// The generated service definition and client over a real grpc-js connection
// on loopback: same paths, same codecs, streaming and status codes intact.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { credentials, Metadata, Server, ServerCredentials, status, type ServiceError } from "@grpc/grpc-js";
import {
  Execution,
  ExecutionPhase,
  WorkflowExecuteInput,
  WorkflowExecuteResponse,
  WorkflowRunnerServiceControllerClient,
  type WorkflowRunnerServiceControllerServer,
  WorkflowRunnerServiceControllerService,
} from "../src/index.ts";

const received: WorkflowExecuteInput[] = [];

const unimplemented = (_call: unknown, callback: (error: Partial<ServiceError>) => void) =>
  callback({ code: status.UNIMPLEMENTED, details: "not in this test" });

const handlers: WorkflowRunnerServiceControllerServer = {
  executeAsync(call, callback) {
    received.push(call.request);
    callback(
      null,
      WorkflowExecuteResponse.fromPartial({
        workflowExecutionId: call.request.workflowExecutionId,
        status: "running",
        temporalWorkflowId: call.request.workflowExecutionId,
      }),
    );
  },
  getExecution(call, callback) {
    callback({ code: status.NOT_FOUND, details: `no execution ${call.request.executionId}` });
  },
  watchExecution(call) {
    const id = call.request.executionId;
    call.write(Execution.fromPartial({ executionId: id, phase: ExecutionPhase.EXECUTION_IN_PROGRESS }));
    call.write(Execution.fromPartial({ executionId: id, phase: ExecutionPhase.EXECUTION_COMPLETED, output: [1, "two"] }));
    call.end();
  },
  cancelExecution: unimplemented,
  pauseExecution: unimplemented,
  resumeExecution: unimplemented,
  execute: unimplemented,
  deploy: unimplemented,
  publishEvents: unimplemented,
  undeploy: unimplemented,
  listDeployments: unimplemented,
  listSchedules: unimplemented,
  pauseSchedule: unimplemented,
  resumeSchedule: unimplemented,
  triggerSchedule: unimplemented,
  signalExecution: unimplemented,
  queryExecution: unimplemented,
  updateExecution: unimplemented,
};

let server: Server;
let client: WorkflowRunnerServiceControllerClient;

beforeAll(async () => {
  server = new Server();
  server.addService(WorkflowRunnerServiceControllerService, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  client = new WorkflowRunnerServiceControllerClient(`127.0.0.1:${port}`, credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

test("executeAsync carries the callback token to the server byte for byte", async () => {
  const token = new Uint8Array(180).map((_, i) => (i * 37) % 256);
  const response = await new Promise<WorkflowExecuteResponse>((resolve, reject) =>
    client.executeAsync(
      WorkflowExecuteInput.fromPartial({
        workflowExecutionId: "wf-grpc-1",
        workflowYaml: "document: {}",
        callbackToken: token,
        input: { n: 1 },
        callbackNamespace: "caller",
      }),
      new Metadata(),
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
  expect(response).toEqual(
    WorkflowExecuteResponse.fromPartial({ workflowExecutionId: "wf-grpc-1", status: "running", temporalWorkflowId: "wf-grpc-1" }),
  );
  expect(received).toHaveLength(1);
  expect(new Uint8Array(received[0]!.callbackToken)).toEqual(token);
  expect(received[0]!.input).toEqual({ n: 1 });
  expect(received[0]!.callbackNamespace).toBe("caller");
});

test("watchExecution streams every message until the server ends the stream", async () => {
  const phases: [ExecutionPhase, unknown][] = [];
  await new Promise<void>((resolve, reject) => {
    const stream = client.watchExecution({ executionId: "wf-grpc-1" });
    stream.on("data", (execution: Execution) => phases.push([execution.phase, execution.output]));
    stream.on("error", reject);
    stream.on("end", resolve);
  });
  expect(phases).toEqual([
    [ExecutionPhase.EXECUTION_IN_PROGRESS, undefined],
    [ExecutionPhase.EXECUTION_COMPLETED, [1, "two"]],
  ]);
});

test("a status code from a handler reaches the client with its message", async () => {
  const error = await new Promise<ServiceError>((resolve, reject) =>
    client.getExecution({ executionId: "missing" }, (e) => (e ? resolve(e) : reject(new Error("expected an error")))),
  );
  expect(error.code).toBe(status.NOT_FOUND);
  expect(error.details).toBe("no execution missing");
});
