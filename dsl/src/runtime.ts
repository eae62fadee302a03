/**
 * `@baton/dsl/runtime`: the part of the DSL that workflow-sandbox code may import. Everything here
 * is deterministic and free of I/O; it must never pull in yaml, ajv or anything Node-specific.
 */
export * from './plan.ts';
export { durationToMs, MAX_DURATION_MS } from './duration.ts';
export type { DurationResult } from './duration.ts';
export { compileJq, DEFAULT_JQ_BUDGET, JqBudgetError, JqRuntimeError, JqSyntaxError } from './jq/index.ts';
export type { JqBudget, JqProgram, JqRunOptions } from './jq/index.ts';
