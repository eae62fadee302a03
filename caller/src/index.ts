/**
 * @baton/caller — call the Baton runner from a Temporal worker and park the activity until the
 * runner calls back. Worker side here; workflow code imports `@baton/caller/workflow`.
 */
export { createRunnerActivities } from './activity.ts';
export type { RunnerActivitiesHandle } from './activity.ts';
export { redactTaskTokens, tokenHint } from './redact.ts';
export { CallerFailureType, RunnerFailureType, runnerErrorOf, runnerFailureOf } from './errors.ts';
export type { RunnerError, RunnerFailure, RunnerRejection } from './errors.ts';
export type { ExecuteOnRunnerArgs, RunnerActivities, RunnerConnectionOptions, RunnerTlsOptions } from './types.ts';
