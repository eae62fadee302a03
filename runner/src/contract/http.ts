/**
 * What the interpreter hands the HTTP activity: a request whose expressions are already
 * evaluated, except the arguments that read `$secrets`, which travel as templates for the
 * activity to evaluate. Shared by workflow code (types only) and the activity.
 */
import type { HttpSecretField, Template } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from './auth.ts';

export type HttpOutputFormat = 'content' | 'response' | 'raw';

export interface HttpCallRequest {
  readonly method: string;
  /** Empty when `secretFields.endpoint` is set. */
  readonly uri: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly output: HttpOutputFormat;
  readonly redirect: boolean;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
  /** Arguments that read `$secrets`; each replaces its evaluated counterpart above. */
  readonly secretFields?: SecretFieldTemplates;
  /** The endpoint's authentication policy, evaluated and applied by the activity. */
  readonly authentication?: AuthenticationArguments;
  /** Zigflow's `metadata.heartbeat`: how often the activity heartbeats (its own default otherwise). */
  readonly heartbeatEveryMs?: number;
}

/** The arguments that read secrets, and what evaluating them needs. */
export type SecretFieldTemplates = { readonly [K in HttpSecretField]?: Template } & TemplateContext;

/**
 * Everything an activity needs to evaluate templates that may read secrets. All of it is already
 * in history elsewhere (task input, runtime arguments); the secret values are added by the
 * activity and never leave it.
 */
export interface TemplateContext {
  /** `.` and `$input`: the task's transformed input. */
  readonly data: unknown;
  /** The other variables the templates read (`$context`, `$task`, `$item` …), without `$secrets`. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** jq's `now`: workflow time in seconds. */
  readonly now: number;
  /** The names the document declares in `use.secrets`: `$secrets` holds these and no others. */
  readonly declared: readonly string[];
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
