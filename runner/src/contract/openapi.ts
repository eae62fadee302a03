/** What the interpreter hands the OpenAPI activity: every expression already evaluated. */
import type { AuthenticationArguments } from './auth.ts';
import type { HttpOutputFormat } from './http.ts';

export interface OpenApiCallRequest {
  /** The document's URI (http, https, file) or a path under the runner's documents folder. */
  readonly document: string;
  readonly operationId: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly output: HttpOutputFormat;
  readonly redirect: boolean;
  /** The call's authentication policy, evaluated (and a token obtained) by the activity. */
  readonly authentication?: AuthenticationArguments;
  /** The document endpoint's authentication: the activity reads the document with it. */
  readonly documentAuthentication?: AuthenticationArguments;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
  /** Zigflow's `metadata.heartbeat`: how often the activity heartbeats (its own default otherwise). */
  readonly heartbeatEveryMs?: number;
}

export const OPENAPI_ACTIVITY_TYPE = 'openApiCall';

export interface OpenApiActivities {
  openApiCall(request: OpenApiCallRequest): Promise<unknown>;
}
