// Guards the compatibility rules: the Stigmer-defined names and numbers stay
// exactly as they are, and no message the runner sends can carry a token.
// Read from the generated descriptor set, i.e. from what protoc compiled.
import { describe, expect, test } from "bun:test";
import { fromBinary } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { DESCRIPTOR_SET_PATH, WORKFLOW_RUNNER_SERVICE_NAME } from "../src/index.ts";

const PACKAGE = "ai.stigmer.agentic.workflowrunner.v1";
const files = fromBinary(FileDescriptorSetSchema, new Uint8Array(await Bun.file(DESCRIPTOR_SET_PATH).arrayBuffer())).file;
const ours = files.filter((file) => file.package === PACKAGE);
const messages = new Map<string, DescriptorProto>(ours.flatMap((file) => file.messageType.map((m) => [m.name, m] as const)));

/** "repeated? type name = number", e.g. "bytes callback_token = 3". */
function describeField(field: FieldDescriptorProto): string {
  const type =
    field.typeName !== "" ? field.typeName.replace(`.${PACKAGE}.`, "").replace(/^\./, "") : FieldDescriptorProto_Type[field.type].toLowerCase();
  const repeated = field.label === FieldDescriptorProto_Label.REPEATED ? "repeated " : "";
  return `${repeated}${type} ${field.name} = ${field.number}`;
}

function fieldsOf(name: string): string[] {
  const message = messages.get(name);
  if (message === undefined) throw new Error(`message ${name} is missing from ${PACKAGE}`);
  return message.field.map(describeField);
}

describe("Stigmer wire compatibility", () => {
  // These are Stigmer's. New fields may follow them; these lines never change.
  const stigmer: Record<string, string[]> = {
    WorkflowExecuteInput: [
      "string workflow_execution_id = 1",
      "string workflow_yaml = 2",
      "bytes callback_token = 3",
      "google.protobuf.Struct input = 4",
      "string callback_namespace = 5",
    ],
    WorkflowExecuteResponse: [
      "string workflow_execution_id = 1",
      "string status = 2",
      "string message = 3",
      "string temporal_workflow_id = 4",
      "string subscribe_url = 5",
      "string status_url = 6",
    ],
    CancelExecutionRequest: ["string execution_id = 1", "string reason = 2", "bool force = 3"],
    PauseExecutionRequest: ["string execution_id = 1", "string reason = 2"],
    ResumeExecutionRequest: ["string execution_id = 1", "string reason = 2"],
  };

  for (const [message, expected] of Object.entries(stigmer)) {
    test(`${message} keeps its fields and numbers`, () => {
      expect(fieldsOf(message).slice(0, expected.length)).toEqual(expected);
    });
  }

  test("the service keeps Stigmer's rpcs first, in order, with their types", () => {
    const service = ours.flatMap((file) => file.service).find((s) => `${PACKAGE}.${s.name}` === WORKFLOW_RUNNER_SERVICE_NAME);
    const rpcs = service?.method.map(
      (m) => `${m.name}(${m.inputType.replace(`.${PACKAGE}.`, "")}) ${m.serverStreaming ? "stream " : ""}${m.outputType.replace(`.${PACKAGE}.`, "")}`,
    );
    expect(rpcs?.slice(0, 4)).toEqual([
      "executeAsync(WorkflowExecuteInput) WorkflowExecuteResponse",
      "cancelExecution(CancelExecutionRequest) .google.protobuf.Empty",
      "pauseExecution(PauseExecutionRequest) .google.protobuf.Empty",
      "resumeExecution(ResumeExecutionRequest) .google.protobuf.Empty",
    ]);
    expect(rpcs?.slice(4)).toEqual([
      "execute(WorkflowExecuteInput) Execution",
      "getExecution(GetExecutionRequest) Execution",
      "watchExecution(WatchExecutionRequest) stream Execution",
      "deploy(DeployRequest) DeployResponse",
      "undeploy(UndeployRequest) .google.protobuf.Empty",
      "listDeployments(ListDeploymentsRequest) ListDeploymentsResponse",
      "listSchedules(ListSchedulesRequest) ListSchedulesResponse",
      "pauseSchedule(ScheduleRequest) .google.protobuf.Empty",
      "resumeSchedule(ScheduleRequest) .google.protobuf.Empty",
      "triggerSchedule(ScheduleRequest) .google.protobuf.Empty",
      "publishEvents(.io.cloudevents.v1.CloudEventBatch) PublishEventsResponse",
      "signalExecution(SignalExecutionRequest) .google.protobuf.Empty",
      "queryExecution(QueryExecutionRequest) QueryExecutionResponse",
      "updateExecution(UpdateExecutionRequest) UpdateExecutionResponse",
    ]);
  });

  test("ExecutionPhase uses Stigmer's names and numbers", () => {
    const phase = ours.flatMap((file) => file.enumType).find((e) => e.name === "ExecutionPhase");
    expect(phase?.value.map((v) => `${v.name} = ${v.number}`)).toEqual([
      "EXECUTION_PHASE_UNSPECIFIED = 0",
      "EXECUTION_PENDING = 1",
      "EXECUTION_IN_PROGRESS = 2",
      "EXECUTION_COMPLETED = 3",
      "EXECUTION_FAILED = 4",
      "EXECUTION_CANCELLED = 5",
      "EXECUTION_TERMINATED = 6",
      "EXECUTION_PAUSED = 7",
    ]);
  });
});

describe("the callback token stays inbound", () => {
  test("no message reachable from Execution has a bytes field", () => {
    const seen = new Set<string>();
    const visit = (name: string): string[] => {
      if (seen.has(name)) return [];
      seen.add(name);
      const message = messages.get(name);
      if (message === undefined) return []; // a well-known type (Struct, Value, Timestamp): no bytes fields
      return message.field.flatMap((field) =>
        field.type === FieldDescriptorProto_Type.BYTES
          ? [`${name}.${field.name}`]
          : field.typeName.startsWith(`.${PACKAGE}.`)
            ? visit(field.typeName.slice(PACKAGE.length + 2))
            : [],
      );
    };
    expect(visit("Execution")).toEqual([]);
    expect(visit("WorkflowExecuteResponse")).toEqual([]);
    expect(seen.has("CallbackState")).toBe(true);
  });
});
