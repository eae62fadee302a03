// The wire contract of the workflow runner: message codecs, enums and the
// grpc-js service definition, generated from ../ai/**/*.proto (`bun run proto`).
import { join } from "node:path";

export {
  CancelExecutionRequest,
  GetExecutionRequest,
  PauseExecutionRequest,
  ResumeExecutionRequest,
  WatchExecutionRequest,
  WorkflowExecuteInput,
  WorkflowExecuteResponse,
} from "./gen/ai/stigmer/agentic/workflowrunner/v1/io.ts";
export {
  DeployRequest,
  DeployResponse,
  Deployment,
  ListDeploymentsRequest,
  ListDeploymentsResponse,
  ListSchedulesRequest,
  ListSchedulesResponse,
  Schedule,
  ScheduleRequest,
  UndeployRequest,
  WorkflowReference,
} from "./gen/ai/stigmer/agentic/workflowrunner/v1/deployment.ts";
export {
  QueryExecutionRequest,
  QueryExecutionResponse,
  SignalExecutionRequest,
  UpdateExecutionRequest,
  UpdateExecutionResponse,
} from "./gen/ai/stigmer/agentic/workflowrunner/v1/messages.ts";
export {
  AwaitedEvent,
  CallbackDelivery,
  callbackDeliveryToJSON,
  CallbackState,
  Execution,
  ExecutionError,
  ExecutionPhase,
  executionPhaseToJSON,
  TaskAwaiting,
  TaskStatus,
  WorkflowTaskStatus,
  workflowTaskStatusToJSON,
} from "./gen/ai/stigmer/agentic/workflowrunner/v1/execution.ts";
export {
  WorkflowRunnerServiceControllerClient,
  type WorkflowRunnerServiceControllerServer,
  WorkflowRunnerServiceControllerService,
} from "./gen/ai/stigmer/agentic/workflowrunner/v1/interface.ts";
export { Empty } from "./gen/google/protobuf/empty.ts";
export { CloudEvent, CloudEventBatch, CloudEvent_CloudEventAttributeValue } from "./gen/ai/stigmer/agentic/workflowrunner/v1/cloudevents.ts";
export { PublishEventsResponse } from "./gen/ai/stigmer/agentic/workflowrunner/v1/events.ts";
export { FAILURE_TYPES, renderGoFailureTypes } from "./failure-types.ts";
export type { FailureTypeEntry } from "./failure-types.ts";

/** Fully qualified gRPC service name, e.g. for health checking. */
export const WORKFLOW_RUNNER_SERVICE_NAME = "ai.stigmer.agentic.workflowrunner.v1.WorkflowRunnerServiceController";

/**
 * A serialized google.protobuf.FileDescriptorSet of the service and everything
 * it imports, for gRPC server reflection (load it with
 * `@grpc/proto-loader`'s `loadFileDescriptorSetFromBuffer`).
 */
export const DESCRIPTOR_SET_PATH = join(import.meta.dir, "gen/descriptor-set.binpb");

/** The same for the standard gRPC health service (grpc.health.v1), which the runner also serves. */
export const HEALTH_DESCRIPTOR_SET_PATH = join(import.meta.dir, "gen/health-descriptor-set.binpb");
