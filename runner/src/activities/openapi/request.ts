/** What the interpreter hands the OpenAPI activity: every expression already evaluated. */
import type { HttpOutputFormat } from '../http/request.ts';

export interface OpenApiCallRequest {
  /** The document's URI (http, https, file) or a path under the runner's documents folder. */
  readonly document: string;
  readonly operationId: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly output: HttpOutputFormat;
  readonly redirect: boolean;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
}

export const OPENAPI_ACTIVITY_TYPE = 'openApiCall';

export interface OpenApiActivities {
  openApiCall(request: OpenApiCallRequest): Promise<unknown>;
}
