/**
 * What `run: shell | script | container` share in the workflow: evaluating the arguments,
 * environment and stdin, the activity options (heartbeats, no automatic retry: a process may have
 * side effects), and the output (`return`; the transformed input when not awaited or `none`).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { RunContainerTask, RunScriptTask, RunShellTask, Template } from '@baton/dsl/runtime';
import { stringMap } from '../../contract/index.ts';
import type { RunActivities } from '../../contract/index.ts';
import { workflowError } from '../../contract/index.ts';
import { toWorkflowError } from '../failures.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskRun, TaskOutcome } from './types.ts';
import { taskActivityOptions } from '../call-policy.ts';
import { heartbeatField, processHeartbeatTimeoutMs } from '../heartbeat.ts';

/** A worker that stops heartbeating for this long is presumed dead and the attempt fails. */
const HEARTBEAT_TIMEOUT_MS = 10_000;
/**
 * Temporal's bound on one attempt when the document sets none. The runner's `--run-timeout`
 * (10 minutes by default) stops the process first; this only catches a worker that never answers.
 */
const START_TO_CLOSE_MS = 24 * 3_600_000;

type ProcessTask = RunShellTask | RunScriptTask | RunContainerTask;

export interface CommonRequest {
  readonly taskReference: string;
  readonly arguments: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly return: ProcessTask['return'];
  readonly await: boolean;
  readonly timeoutMs?: number;
  readonly heartbeatEveryMs?: number;
}

export function evaluator(run: TaskRun<ProcessTask>): (template: Template) => unknown {
  const args = run.args();
  return (template) => run.execution.evaluator.template(template, run.input, args, run.task.reference);
}

export function commonRequest(run: TaskRun<ProcessTask>): CommonRequest {
  const { task } = run;
  const evaluate = evaluator(run);
  const args = task.arguments ? evaluate(task.arguments) : [];
  if (!Array.isArray(args)) throw invalid(task, 'arguments', 'must be a list');
  const environment = task.environment ? stringMap(evaluate(task.environment)) : {};
  if (!environment) throw invalid(task, 'environment', 'must be an object');
  const stdin = task.stdin ? evaluate(task.stdin) : undefined;
  return {
    taskReference: task.reference,
    arguments: args.filter((item) => item !== null && item !== undefined).map((item) => (typeof item === 'string' ? item : JSON.stringify(item))),
    environment,
    ...(stdin === undefined || stdin === null ? {} : { stdin: typeof stdin === 'string' ? stdin : JSON.stringify(stdin) }),
    return: task.return,
    await: task.await,
    ...(task.timeout?.kind === 'static' ? { timeoutMs: task.timeout.ms } : {}),
    ...heartbeatField(task),
  };
}

export function textField(run: TaskRun<ProcessTask>, template: Template, field: string): string {
  const value = evaluator(run)(template);
  if (typeof value !== 'string' || value === '') throw invalid(run.task, field, 'must be a non-empty string');
  return value;
}

export function mapField(run: TaskRun<ProcessTask>, template: Template | undefined, field: string): Record<string, string> {
  if (!template) return {};
  const value = stringMap(evaluator(run)(template));
  if (!value) throw invalid(run.task, field, 'must be an object');
  return value;
}

/** Schedules the activity and turns its answer into the task's outcome. */
export async function runActivity<R extends { readonly await: boolean; readonly return: ProcessTask['return']; readonly heartbeatEveryMs?: number }>(
  run: TaskRun<ProcessTask>,
  request: R,
  summary: string,
  call: (activities: RunActivities, request: R) => Promise<unknown>,
): Promise<TaskOutcome> {
  const { task, execution } = run;
  checkPayload(request, execution.maxPayloadBytes, `the process request of task ${task.reference}`, task.reference);
  const activities = proxyActivities<RunActivities>(processActivityOptions(run, `${task.reference}: ${summary}`.slice(0, 200), request.heartbeatEveryMs));
  try {
    const output = await call(activities, request);
    return { output: !request.await || request.return === 'none' ? run.input : output };
  } catch (error) {
    throw toWorkflowError(error, task.reference, 'runtime');
  }
}

function processActivityOptions(run: TaskRun<ProcessTask>, summary: string, heartbeatEveryMs: number | undefined): ActivityOptions {
  const plan = taskActivityOptions(run.execution.plan.activityOptions, run.task.activityOptions);
  const retry = plan.retry;
  return {
    startToCloseTimeout: plan.startToCloseTimeoutMs ?? START_TO_CLOSE_MS,
    heartbeatTimeout: plan.heartbeatTimeoutMs ?? processHeartbeatTimeoutMs(HEARTBEAT_TIMEOUT_MS, heartbeatEveryMs),
    ...(plan.scheduleToCloseTimeoutMs !== undefined ? { scheduleToCloseTimeout: plan.scheduleToCloseTimeoutMs } : {}),
    retry: {
      maximumAttempts: retry?.maximumAttempts ?? 1,
      ...(retry?.initialIntervalMs !== undefined ? { initialInterval: retry.initialIntervalMs } : {}),
      ...(retry?.maximumIntervalMs !== undefined ? { maximumInterval: retry.maximumIntervalMs } : {}),
      ...(retry?.backoffCoefficient !== undefined ? { backoffCoefficient: retry.backoffCoefficient } : {}),
      ...(retry?.nonRetryableErrorTypes ? { nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes] } : {}),
    },
    summary,
  };
}

function invalid(task: ProcessTask, field: string, problem: string) {
  return workflowError('expression', { title: `Invalid ${field}`, detail: `${field} ${problem}`, instance: task.reference });
}
