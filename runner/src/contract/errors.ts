/**
 * Serverless Workflow errors (RFC 7807 problems) as values the interpreter throws, catches and
 * reports. Only `WorkflowErrorException` is caught by `try`; Temporal cancellations and internal
 * bugs pass through untouched.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { inErrorTypeForm, standardErrorType } from '@baton/dsl/runtime';
import type { ErrorTypeForm, Plan, StandardErrorKind } from '@baton/dsl/runtime';
import type { WorkflowError } from './interpreter.ts';

export { errorTypeMatches } from '@baton/dsl/runtime';
export type { StandardErrorKind } from '@baton/dsl/runtime';

/**
 * The spec's standard error types with the status each one carries by default. Baton's own errors
 * carry the `…/spec/1.0.0/errors/<type>` form; `inDocumentForm` shows them as the document writes
 * standard types.
 */
export const StandardError: Readonly<Record<StandardErrorKind, { readonly type: string; readonly status: number }>> = {
  configuration: { type: standardErrorType('configuration'), status: 400 },
  validation: { type: standardErrorType('validation'), status: 400 },
  expression: { type: standardErrorType('expression'), status: 400 },
  authentication: { type: standardErrorType('authentication'), status: 401 },
  authorization: { type: standardErrorType('authorization'), status: 403 },
  timeout: { type: standardErrorType('timeout'), status: 408 },
  communication: { type: standardErrorType('communication'), status: 500 },
  runtime: { type: standardErrorType('runtime'), status: 500 },
};

/** An error as the document would write its type (a raised error's own type is kept as written). */
export function inDocumentForm(error: WorkflowError, plan: Pick<Plan, 'errorTypeForm'> | undefined): WorkflowError {
  const form: ErrorTypeForm = plan?.errorTypeForm ?? 'spec';
  const type = inErrorTypeForm(error.type, form);
  return type === error.type ? error : { ...error, type };
}

/** Carries a WorkflowError through the JS call stack; the `error` field is the problem itself. */
export class WorkflowErrorException extends Error {
  constructor(readonly error: WorkflowError) {
    super(error.detail ?? error.title ?? error.type);
    this.name = 'WorkflowErrorException';
  }
}

export function workflowError(
  kind: StandardErrorKind,
  fields: { title?: string; detail?: string; instance?: string; status?: number },
): WorkflowErrorException {
  const standard = StandardError[kind];
  return new WorkflowErrorException(
    compactError({
      type: standard.type,
      status: fields.status ?? standard.status,
      title: fields.title,
      detail: fields.detail,
      instance: fields.instance,
    }),
  );
}

/** Drops absent fields so the error serialises the same way wherever it came from. */
export function compactError(error: {
  type: string;
  status: number;
  title?: string | undefined;
  detail?: string | undefined;
  instance?: string | undefined;
}): WorkflowError {
  const out: { -readonly [K in keyof WorkflowError]: WorkflowError[K] } = { type: error.type, status: error.status };
  if (error.title !== undefined) out.title = error.title;
  if (error.detail !== undefined) out.detail = error.detail;
  if (error.instance !== undefined) out.instance = error.instance;
  return out;
}

/** Sets `instance` to the task reference when the error does not name one yet. */
export function withInstance(error: WorkflowError, instance: string): WorkflowError {
  return error.instance === undefined ? { ...error, instance } : error;
}

/** Reads a WorkflowError out of an unknown value (failure details, JSON), or undefined. */
export function asWorkflowError(value: unknown): WorkflowError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.type !== 'string' || typeof candidate.status !== 'number') return undefined;
  const optionalString = (field: unknown) => (typeof field === 'string' ? field : undefined);
  return compactError({
    type: candidate.type,
    status: candidate.status,
    title: optionalString(candidate.title),
    detail: optionalString(candidate.detail),
    instance: optionalString(candidate.instance),
  });
}

export interface ProblemFailureOptions {
  /** Default true: a workflow error is a result, not an outage. */
  readonly nonRetryable?: boolean;
  readonly nextRetryDelayMs?: number;
  /** Details after the error itself (the interpreter adds the failing task path). */
  readonly moreDetails?: readonly unknown[];
}

/**
 * The one way a Serverless Workflow error becomes an ApplicationFailure, wherever it is raised
 * (activities, the interpreter's own failure): type = the error type, message = its detail (or
 * title), first detail = the error itself, which `problemOf` reads back.
 */
export function problemFailure(error: WorkflowError, options: ProblemFailureOptions = {}): ApplicationFailure {
  const nonRetryable = options.nonRetryable ?? true;
  return ApplicationFailure.create({
    type: error.type,
    message: error.detail ?? error.title ?? error.type,
    nonRetryable,
    details: [error, ...(options.moreDetails ?? [])],
    ...(!nonRetryable && options.nextRetryDelayMs !== undefined ? { nextRetryDelay: options.nextRetryDelayMs } : {}),
  });
}

/** The Serverless Workflow error an ApplicationFailure carries (see `problemFailure`), or undefined. */
export function problemOf(failure: ApplicationFailure): WorkflowError | undefined {
  return asWorkflowError(failure.details?.[0]);
}
