/** What the interpreter hands the gRPC activity: every expression already evaluated. */
import type { AuthenticationArguments } from './auth.ts';

export interface GrpcCallRequest {
  /** The `.proto` file's URI (http, https, file) or a path under the runner's documents folder. */
  readonly proto: string;
  readonly service: string;
  readonly method: string;
  readonly host: string;
  readonly port: number;
  readonly arguments: unknown;
  /** The call's authentication policy, evaluated (and a token obtained) by the activity. */
  readonly authentication?: AuthenticationArguments;
  /** The `.proto` endpoint's authentication: the activity reads the proto with it. */
  readonly protoAuthentication?: AuthenticationArguments;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
  /** Zigflow's `metadata.heartbeat`: how often the activity heartbeats (its own default otherwise). */
  readonly heartbeatEveryMs?: number;
}

export const GRPC_ACTIVITY_TYPE = 'grpcCall';

export interface GrpcActivities {
  grpcCall(request: GrpcCallRequest): Promise<unknown>;
}
