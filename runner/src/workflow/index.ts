/**
 * The interpreter workflow (the worker's workflowsPath entry): one generic Temporal workflow that
 * runs a compiled plan with Serverless Workflow semantics. It returns the workflow output, fails
 * with an ApplicationFailure whose type is the SW error type and whose first detail is the
 * WorkflowError, and ends CANCELLED when cancelled. Every path ends with the callback end-game.
 */
import {
  CancellationScope,
  CancelledFailure,
  continueAsNew,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { PLAN_FORMAT_VERSION } from '@baton/dsl/runtime';
import type { Plan, Task } from '@baton/dsl/runtime';
import {
  callbackReport,
  cancelAccepted,
  cancelledByCaller,
  latestCallbackTarget,
  pendingCancelReason,
  settleCallback,
  terminationPending,
  watchCallback,
} from './callback.ts';
import {
  changeRejection,
  inDocumentForm,
  pauseSignal,
  pauseUpdate,
  problemFailure,
  refuse,
  resumeSignal,
  resumeUpdate,
  statusQuery,
  WorkflowErrorException,
  workflowError,
} from '../contract/index.ts';
import type { InterpreterArgs, WorkflowError } from '../contract/index.ts';
import { cancellationPending } from './cancellation.ts';
import { installEventInbox } from './events/inbox.ts';
import { CARRIED_STATE_VERSION, ContinueAsNewRequest, readCarried } from './continuation.ts';
import type { CarriedState, ListCursor } from './continuation.ts';
import { transformInput, transformOutput } from './data-flow.ts';
import { Execution } from './interpreter.ts';
import type { InterpreterLimits } from './interpreter.ts';
import type { ExecutionOutcome } from './outcome.ts';
import { answerAwaitedEnd, endedWith, endRun } from './awaited-end.ts';
import { recordFinalStatus } from './final-status.ts';
import { publishState } from './execution-search-attributes.ts';
import { recordExecutionFinished, recordExecutionStarted } from './metrics.ts';
import { checkPayload } from './payload-limit.ts';
import { StatusTracker } from './status.ts';
import { timeoutError, withTimeout } from './timeouts.ts';

export { INTERPRETER_WORKFLOW_TYPE } from '../contract/index.ts';
export { batonCallbackDelivery } from './delivery.ts';
export { batonDeployment } from './deployment/registry.ts';
export { batonEventRouter } from './events/router.ts';

const ROOT = '/';

export async function batonInterpreter(received: InterpreterArgs): Promise<unknown> {
  const args = normaliseArgs(received);
  const carried = readCarried(args.carried);
  const status = new StatusTracker(args.executionId, carried?.status);
  const startedAtMs = carried?.workflowStartedAtMs ?? Date.now();
  const execution = new Execution(args, args.plan, status, startedAtMs, carried?.context ?? {}, limitsOf(args), carried);
  status.start(startedAtMs);
  if (!carried) recordExecutionStarted();
  if (carried?.paused) execution.setPaused(true);
  if (execution.zigflow && args.plan) execution.messages.open(args.plan, execution, carried?.messages);

  setHandler(statusQuery, () => ({ ...status.snapshot(), callback: callbackReport() }));
  // The reason is for the record (it is in the update's history event); the validator ignores it.
  const validator = (_reason: string) => refuse(changeRejection(status.currentPhase, terminationPending()));
  const setPaused = (paused: boolean) => {
    execution.setPaused(paused);
    return status.currentPhase;
  };
  setHandler(pauseUpdate, (_reason: string) => setPaused(true), { validator });
  setHandler(resumeUpdate, (_reason: string) => setPaused(false), { validator });
  setHandler(pauseSignal, () => execution.setPaused(true));
  setHandler(resumeSignal, () => execution.setPaused(false));
  answerAwaitedEnd();
  installEventInbox();

  let outcome: ExecutionOutcome;
  let failure: unknown;
  try {
    const output = await new CancellationScope().run(() => {
      watchCallback(args.callback, () => status.currentPhase, carried?.cancelReason);
      return runWithinWorkflowTimeout(execution, args, carried, startedAtMs);
    });
    // A cancel accepted while the last step was finishing: accepted means it ends cancelled.
    if (cancelAccepted()) throw new CancelledFailure('the execution was cancelled');
    status.completed(output, Date.now());
    outcome = { kind: 'completed', output };
  } catch (caught) {
    let error = caught;
    // A cancellation that arrived while the run went on must not be carried away by continuing as new.
    if (error instanceof ContinueAsNewRequest && !cancellationPending()) {
      const cancelReason = pendingCancelReason();
      const messages = execution.messages.carried();
      const state: CarriedState = {
        version: CARRIED_STATE_VERSION,
        cursor: error.cursor as ListCursor,
        context: execution.context,
        status: status.snapshot(),
        workflowStartedAtMs: startedAtMs,
        paused: execution.isPaused,
        ...(execution.zigflow ? { data: execution.data, lastOutput: execution.lastOutput } : {}),
        ...(messages ? { messages } : {}),
        ...(cancelReason === undefined ? {} : { cancelReason }),
      };
      const nextArgs: InterpreterArgs = { ...args, callback: latestCallbackTarget(args.callback), carried: state };
      const tooLarge = carriedTooLarge(nextArgs, execution.maxPayloadBytes, status.snapshot().currentTask ?? ROOT);
      if (!tooLarge) {
        await endRun({ kind: 'continued' });
        return continueAsNew<typeof batonInterpreter>(nextArgs);
      }
      error = tooLarge;
    }
    if (isCancellation(error) || error instanceof ContinueAsNewRequest) {
      status.cancelled(Date.now());
      outcome = cancelledByCaller() ? { kind: 'cancelled', reason: 'the caller cancelled its activity' } : { kind: 'cancelled' };
      failure = isCancellation(error) ? error : new CancelledFailure('the execution was cancelled');
    } else {
      const problem = inDocumentForm(asProblem(error), args.plan);
      status.failed(problem, Date.now());
      outcome = { kind: 'failed', error: problem };
      failure = problemFailure(problem, { moreDetails: [{ taskPath: problem.instance ?? status.snapshot().currentTask ?? ROOT }] });
    }
  }
  await CancellationScope.nonCancellable(() => settleCallback(args.callback, outcome, status.snapshot()));
  publishState({ phase: status.currentPhase, callbackState: callbackReport().state });
  const finalStatus = { ...status.snapshot(), callback: callbackReport() };
  recordFinalStatus(finalStatus);
  recordExecutionFinished(outcome, Date.now() - startedAtMs);
  log.info('execution ended', { phase: status.currentPhase, callback: callbackReport().state, ...(outcome.kind === 'failed' ? { taskPath: outcome.error.instance, type: outcome.error.type } : {}) });
  await endRun(endedWith(finalStatus));
  if (failure !== undefined) throw failure;
  return outcome.kind === 'completed' ? outcome.output : undefined;
}

async function runWithinWorkflowTimeout(
  execution: Execution,
  args: InterpreterArgs,
  carried: CarriedState | undefined,
  startedAtMs: number,
): Promise<unknown> {
  const plan = args.plan;
  const run = () => runPlan(execution, args, carried);
  if (!plan?.timeout) return run();
  const workflowArgs = { site: 'workflowTimeout', context: execution.context, secrets: true, locals: {} } as const;
  const totalMs = execution.durationMs(plan.timeout, args.input, workflowArgs, ROOT);
  const remainingMs = startedAtMs + totalMs - Date.now();
  if (remainingMs <= 0) throw timeoutError('the workflow', totalMs, ROOT);
  return withTimeout(remainingMs, ROOT, run, () => timeoutError('the workflow', totalMs, ROOT));
}

/** The workflow-level data flow around the top task list. */
async function runPlan(execution: Execution, args: InterpreterArgs, carried: CarriedState | undefined): Promise<unknown> {
  const plan = args.plan;
  checkPlan(plan);
  const schemas = execution.schemas;
  let result;
  const tasks = entryTasks(plan);
  if (carried) {
    result = await execution.runList(tasks, carried.cursor.input, { locals: {} }, carried.cursor);
  } else {
    const inputArgs = { site: 'workflowInput', secrets: true, locals: {} } as const;
    const input = transformInput(plan.input, args.input, 'workflow input', execution.evaluator, schemas, inputArgs, ROOT);
    result = await execution.runList(tasks, input, { locals: {} });
  }
  const outputArgs = { site: 'workflowOutput', context: execution.context, secrets: true, locals: {} } as const;
  const output = transformOutput(plan.output, result.output, 'workflow output', execution.evaluator, schemas, outputArgs, ROOT);
  // The result goes into history and to the caller's callback: over the limit, the execution fails with an answer.
  checkPayload(output, execution.maxPayloadBytes, 'the workflow output', ROOT);
  return output;
}

/** The tasks this plan runs: in a Zigflow multi-workflow file, the body of the `do` its entry names. */
function entryTasks(plan: Plan): readonly Task[] {
  if (!plan.workflows) return plan.do;
  const entry = plan.do.find((task) => task.name === plan.entry);
  if (entry?.kind !== 'do') {
    throw workflowError('configuration', { title: 'Unknown workflow', detail: `this file defines no workflow type '${plan.entry}'`, instance: ROOT });
  }
  return entry.do;
}

/**
 * Workflow input comes from any client. A missing input means "no data", which the spec's
 * examples treat as an empty object; a missing plan is reported by checkPlan as a workflow error.
 */
function normaliseArgs(received: InterpreterArgs | undefined): InterpreterArgs {
  if (typeof received !== 'object' || received === null) {
    return { executionId: workflowInfo().workflowId, plan: undefined as unknown as Plan, input: {} };
  }
  // A Temporal Schedule starts its runs with one fixed argument: they take the id Temporal gave them.
  const withId = received.executionId ? received : { ...received, executionId: workflowInfo().workflowId };
  return withId.input === undefined ? { ...withId, input: {} } : withId;
}

/** The plan is workflow input: a client may send anything, and a plan from a newer DSL may not be readable. */
function checkPlan(plan: unknown): void {
  const candidate = plan as Partial<Plan> | undefined;
  if (typeof candidate !== 'object' || candidate === null || !Array.isArray(candidate.do) || typeof candidate.document !== 'object') {
    throw workflowError('configuration', { title: 'Invalid plan', detail: 'the workflow input does not carry a compiled plan', instance: ROOT });
  }
  if (candidate.formatVersion !== PLAN_FORMAT_VERSION) {
    throw workflowError('configuration', {
      title: 'Unsupported plan format',
      detail: `plan format ${String(candidate.formatVersion)} is not supported by this runner (it reads format ${PLAN_FORMAT_VERSION})`,
      instance: ROOT,
    });
  }
}

function asProblem(error: unknown): WorkflowError {
  if (error instanceof WorkflowErrorException) return error.error;
  // A bug in the interpreter still ends the execution with an answer rather than retrying forever.
  return workflowError('runtime', {
    title: 'Interpreter failure',
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    instance: ROOT,
  }).error;
}

/** The continue-as-new arguments enter history whole: over the limit, the execution fails instead of hanging. */
function carriedTooLarge(nextArgs: InterpreterArgs, limit: number, currentTask: string): WorkflowErrorException | undefined {
  try {
    checkPayload(nextArgs, limit, `the state carried over continue-as-new at task ${currentTask}`, currentTask);
    return undefined;
  } catch (problem) {
    if (problem instanceof WorkflowErrorException) return problem;
    throw problem;
  }
}

function limitsOf(args: InterpreterArgs): InterpreterLimits {
  const metadata = args.plan?.document?.metadata;
  const baton = metadata?.baton;
  const after = typeof baton === 'object' && baton !== null ? (baton as Record<string, unknown>).continueAsNewAfterEvents : undefined;
  // The compiler checked it is a whole number ≥ 1; only dialect plans give it a meaning.
  const zigflow = args.plan?.dialect === 'zigflow' ? metadata?.canMaxHistoryLength : undefined;
  return {
    ...(typeof after === 'number' && after > 0 ? { continueAsNewAfterEvents: after } : {}),
    ...(typeof zigflow === 'number' && zigflow > 0 ? { zigflowMaxHistoryLength: zigflow } : {}),
  };
}
