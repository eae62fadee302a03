/**
 * @baton/runner's public surface: start a runner (worker + gRPC service) in-process, read its
 * configuration, and the names a client needs to understand what the runner sends back.
 */
export { runtimeTelemetry, startRunner } from './runner.ts';
export type { Runner, RunnerLog, RunnerRole, StartRunnerOptions } from './runner.ts';
export { installProcessGuard } from './process-guard.ts';
export type { GuardReport } from './process-guard.ts';
export { defaultConfig, loadConfig, parseDurationMs, SETTINGS } from './config.ts';
export type { ConfigProblem, ConfigResult, ConfigSources, RunnerConfig } from './config.ts';
export { encodeTokenKey, generateTokenKey, parseTokenKey } from './token/seal.ts';
export { encodeCodecKeys, generateCodecKey, parseCodecKeys, runnerDataConverter } from './codec/index.ts';
export type { CodecKey } from './codec/index.ts';
export type { EgressPolicy } from './egress/index.ts';
export { CANCELLED_FAILURE_TYPE, TERMINATED_FAILURE_TYPE } from './contract/index.ts';
export type { CallbackCancellation, CallbackFailure } from './contract/index.ts';
export { DIAGNOSTICS_TRAILER } from './service/errors.ts';
export type { RequestProblem } from './service/errors.ts';
export { INTERPRETER_WORKFLOW_TYPE } from './contract/index.ts';
export type { CallbackState, ExecutionPhase, ExecutionStatus, InterpreterArgs, WorkflowError } from './contract/index.ts';
