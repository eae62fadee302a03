/**
 * What the interpreter hands the HTTP activity: a request whose expressions are already
 * evaluated. Shared by workflow code (types only) and the activity.
 */
export type HttpOutputFormat = 'content' | 'response' | 'raw';

export interface HttpCallRequest {
  readonly method: string;
  readonly uri: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly output: HttpOutputFormat;
  readonly redirect: boolean;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
}

/** The spec's HTTP response object, returned for `output: response`. */
export interface HttpResponseOutput {
  readonly request: { readonly method: string; readonly uri: string; readonly headers: Readonly<Record<string, string>> };
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly content: unknown;
}

export const HTTP_ACTIVITY_TYPE = 'httpCall';

export interface HttpActivities {
  httpCall(request: HttpCallRequest): Promise<unknown>;
}
