/** What the interpreter hands the gRPC activity: every expression already evaluated. */

export interface GrpcCallRequest {
  /** The `.proto` file's URI (http, https, file) or a path under the runner's documents folder. */
  readonly proto: string;
  readonly service: string;
  readonly method: string;
  readonly host: string;
  readonly port: number;
  readonly arguments: unknown;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
}

export const GRPC_ACTIVITY_TYPE = 'grpcCall';

export interface GrpcActivities {
  grpcCall(request: GrpcCallRequest): Promise<unknown>;
}
