/**
 * `@baton/dsl/runtime`: the part of the DSL that workflow-sandbox code may import. Everything here
 * is deterministic and free of I/O; it must never pull in yaml, ajv or anything Node-specific.
 */
export * from './plan.ts';
export { durationToMs, MAX_DURATION_MS } from './duration.ts';
export { parseTimestamp } from './timestamp.ts';
export type { TimestampResult } from './timestamp.ts';
export { ERROR_TYPE_PREFIXES, errorTypeMatches, inErrorTypeForm, STANDARD_ERROR_KINDS, standardErrorKind, standardErrorType } from './error-types.ts';
export type { ErrorTypeForm, StandardErrorKind } from './error-types.ts';
export { EXPRESSION_SITES, JQ_VARIABLES, RUNTIME_ARGUMENTS, runtimeArgumentsAt, ZIGFLOW_RUNTIME_ARGUMENTS, ZIGFLOW_UUID_VARIABLE } from './runtime-arguments.ts';
export type { Dialect, ExpressionSite, RuntimeArgument } from './runtime-arguments.ts';
export type { DurationResult } from './duration.ts';
export { compileJq, DEFAULT_JQ_BUDGET, HOST_CAPABILITIES, JqBudgetError, JqCapabilityError, JqRuntimeError, JqSyntaxError } from './jq/index.ts';
export type { JqBudget, JqCompileOptions, JqProgram, JqRunOptions } from './jq/index.ts';
export { WORKFLOW_JQ_OPTIONS } from './workflow-jq.ts';
