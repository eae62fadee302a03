/**
 * Walks a compiled plan: task lists, flow directives (`then`), the per-task data flow, status
 * updates, pause gates and continue-as-new safe points. What each kind of task does lives in
 * tasks/<kind>.ts behind the TaskHandler interface.
 */
import { condition, isCancellation, log, patched, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import type { WorkflowInfo } from '@temporalio/workflow';
import { AUTHORIZATION_SCHEMES, durationToMs } from '@baton/dsl/runtime';
import type { DurationSpec, FlowTarget, Plan, Task } from '@baton/dsl/runtime';
import type { InterpreterArgs } from '../contract/index.ts';
import { throwIfCancelled } from './cancellation.ts';
import { ContinueAsNewRequest } from './continuation.ts';
import type { ListCursor, TaskCursor } from './continuation.ts';
import { exportContext, SchemaValidators, transformInput, transformOutput } from './data-flow.ts';
import { WorkflowErrorException, withInstance, workflowError } from '../contract/index.ts';
import { dateTimeDescriptor, ExpressionEvaluator } from './expressions.ts';
import type { ExpressionArguments, TaskDescriptor } from './expressions.ts';
import { checkPayload, maxPayloadBytesOf } from './payload-limit.ts';
import type { StatusTracker } from './status.ts';
import { publishState } from './execution-search-attributes.ts';
import { upsertTaskSearchAttributes } from './search-attributes.ts';
import { handlerFor } from './tasks/index.ts';
import { TemporalMessages } from './temporal-messages.ts';
import type { TaskOutcome } from './tasks/types.ts';
import { timeoutError, withTimeout } from './timeouts.ts';

/** Variables introduced by enclosing blocks (`$item`, `$index`, `$error`, …). */
export interface Scope {
  readonly locals: Readonly<Record<string, unknown>>;
}

export interface ListResult {
  readonly output: unknown;
  /** A task said `then: end`: the whole workflow stops with this output. */
  readonly ended: boolean;
  /** A task said `then: exit`: the enclosing composite task stops here. */
  readonly exited: boolean;
}

export interface InterpreterLimits {
  /** Continue as new once the history has this many events (Temporal's own suggestion also counts). */
  readonly continueAsNewAfterEvents?: number;
  /** Zigflow's `document.metadata.canMaxHistoryLength` (dialect plans only): the same, written by the document's author. */
  readonly zigflowMaxHistoryLength?: number;
}

/**
 * Executions started before `canMaxHistoryLength` was honoured never continued as new for it; they
 * replay without. The marker is written only when that limit is what is reached.
 */
export const ZIGFLOW_HISTORY_LIMIT_PATCH = 'zigflow-can-max-history-length';

/**
 * Tasks run in one workflow activation (no I/O in between) before the interpreter gives the
 * worker back: pure control flow (a `then` loop, a long `for` of `set`s) adds no history and runs
 * synchronously, and an activation must stay well inside the workflow task timeout (and its 5 s
 * deadlock detector) and let cancellation in, which needs a yield. On sequential ground it
 * continues as new; inside `fork`/`try` it yields with a 1 ms timer.
 *
 * Where it yields must be the same on replay, so the budget cannot be wall-clock time. It counts
 * tasks (10,000 `set`s take about 0.3 s) and the JSON size of their outputs, which every task
 * measures anyway for the payload limit and which tracks the work done on large data: 10,000
 * tasks copying a 900 KB value took over 5 s, 32 MiB of outputs take well under a second.
 */
export const TASKS_PER_ACTIVATION = 10_000;
export const OUTPUT_BYTES_PER_ACTIVATION = 32 * 1024 * 1024;

/**
 * Yielding after OUTPUT_BYTES_PER_ACTIVATION changes where older executions yielded; they replay
 * with the task count alone. The marker is written only when the byte budget is what runs out.
 */
export const YIELD_BY_OUTPUT_SIZE_PATCH = 'baton-yield-by-output-size';

export const RUNTIME_DESCRIPTOR = { name: 'baton', version: '0.1.0', metadata: {} } as const;

export class Execution {
  readonly evaluator: ExpressionEvaluator;
  readonly schemas = new SchemaValidators();
  /** Largest value, as JSON bytes, that may enter history (payload-limit.ts). */
  readonly maxPayloadBytes: number;
  context: unknown;
  /** Zigflow's `$data`: `set` results merged in, call and run results under their task's name. */
  data: Record<string, unknown>;
  /** Zigflow's `$output`: the most recent task's (shaped) output. */
  lastOutput: unknown;
  /** Zigflow's semantics (plan.dialect) rather than the specification's. */
  readonly zigflow: boolean;
  /** Zigflow's `listen` for Temporal messages: signal inboxes and the queries being answered. */
  readonly messages = new TemporalMessages();
  private paused = false;
  private unsafeDepth = 0;
  private tasksThisActivation = 0;
  private outputBytesThisActivation = 0;
  private activationHistoryLength = -1;

  constructor(
    readonly args: InterpreterArgs,
    readonly plan: Plan,
    readonly status: StatusTracker,
    readonly workflowStartedAtMs: number,
    context: unknown,
    private readonly limits: InterpreterLimits,
    carried?: { readonly data?: Record<string, unknown>; readonly lastOutput?: unknown },
  ) {
    this.context = context;
    this.zigflow = plan?.dialect === 'zigflow';
    this.data = carried?.data ?? {};
    this.lastOutput = carried?.lastOutput ?? null;
    this.maxPayloadBytes = maxPayloadBytesOf(args?.limits);
    this.evaluator = new ExpressionEvaluator(
      {
        id: args.executionId,
        definition: { document: plan?.document },
        input: args.input,
        startedAt: dateTimeDescriptor(workflowStartedAtMs),
      },
      RUNTIME_DESCRIPTOR,
      {},
      this.zigflow
        ? {
            input: args.input,
            env: args.env ?? {},
            data: () => this.data,
            lastOutput: () => this.lastOutput,
            // Workflow randomness: seeded from the history, so a replay draws the same values.
            uuid: () => uuid4(),
          }
        : undefined,
    );
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.status.pause();
    else this.status.resume();
    publishState({ phase: this.status.currentPhase });
  }

  /** Runs `work` where a continue-as-new cannot be taken (concurrent branches, error handlers, timers). */
  async unsafe<T>(work: () => Promise<T>): Promise<T> {
    this.unsafeDepth++;
    try {
      return await work();
    } finally {
      this.unsafeDepth--;
    }
  }

  async runList(tasks: readonly Task[], input: unknown, scope: Scope, cursor?: ListCursor): Promise<ListResult> {
    let index = cursor?.index ?? 0;
    let current = cursor ? cursor.input : input;
    let resume: TaskCursor | undefined = cursor?.task;
    while (index < tasks.length) {
      const task = tasks[index] as Task;
      if (!resume) await this.beforeTask(index, current);
      let outcome: TaskOutcome;
      try {
        // Zigflow evaluates task definitions with `.` null; results travel through `$output`/`$data`.
        outcome = await this.runTask(task, this.zigflow ? null : current, scope, resume);
      } catch (error) {
        if (error instanceof ContinueAsNewRequest) {
          throw new ContinueAsNewRequest({ index, input: current, task: error.cursor as TaskCursor } satisfies ListCursor);
        }
        throw error;
      }
      resume = undefined;
      // A skipped Zigflow task leaves the most recent output in place.
      if (!(this.zigflow && outcome.skipped)) current = outcome.output;
      if (outcome.ended) return { output: current, ended: true, exited: false };
      const target: FlowTarget = outcome.redirect ?? task.then;
      switch (target.kind) {
        case 'continue':
          index++;
          break;
        case 'goto':
          index = target.index;
          break;
        case 'exit':
          return { output: current, ended: false, exited: true };
        case 'end':
          return { output: current, ended: true, exited: false };
      }
    }
    return { output: current, ended: false, exited: false };
  }

  /** One task through the data flow: input.schema → input.from → if → run → output.as → export.as. */
  async runTask(task: Task, rawInput: unknown, scope: Scope, resume?: TaskCursor): Promise<TaskOutcome> {
    const path = task.reference;
    const startedAtMs = resume?.startedAtMs ?? Date.now();
    const describe = (output?: { value: unknown }) => (): TaskDescriptor => ({
      name: task.name,
      reference: path,
      definition: { kind: task.kind, name: task.name },
      input: rawInput,
      ...(output ? { output: output.value } : {}),
      startedAt: dateTimeDescriptor(startedAtMs),
    });
    const descriptor = describe();
    let input: unknown;
    try {
      if (resume) {
        input = resume.input;
      } else {
        const inputArgs: ExpressionArguments = { site: 'taskInput', context: this.context, task: descriptor, secrets: true, locals: scope.locals };
        input = transformInput(task.input, rawInput, 'task input', this.evaluator, this.schemas, inputArgs, path);
        if (task.if && !this.evaluator.test(task.if, input, { site: 'taskIf', context: this.context, input, task: descriptor, secrets: true, locals: scope.locals }, path)) {
          this.status.taskSkipped(task.name, path, task.kind, Date.now());
          return { output: rawInput, redirect: { kind: 'continue' }, skipped: true };
        }
        this.status.taskStarted(task.name, path, task.kind, Date.now());
        // Zigflow's metadata.searchAttributes; its values are shown in visibility, so no $secrets.
        await upsertTaskSearchAttributes(task, input, { site: 'task', context: this.context, input, task: descriptor, secrets: false, locals: scope.locals }, this);
      }
      const outcome = await this.execute(task, input, rawInput, scope, resume, descriptor);
      const rawOutput = outcome.output;
      if (this.zigflow) this.recordData(task, rawOutput);
      const withOutput = describe({ value: rawOutput });
      const output = transformOutput(
        task.output,
        rawOutput,
        'task output',
        this.evaluator,
        this.schemas,
        { site: 'taskOutput', context: this.context, input, task: withOutput, secrets: true, locals: outputLocals(task, scope.locals) },
        path,
      );
      this.outputBytesThisActivation += checkPayload(output, this.maxPayloadBytes, `the output of task ${path}`, path);
      if (this.zigflow) this.lastOutput = output;
      this.context = exportContext(
        task.export,
        // Zigflow's `export.as` sees the raw result as `.` (and the shaped one as `$output`).
        this.zigflow ? rawOutput : output,
        this.context,
        this.evaluator,
        this.schemas,
        { site: 'taskExport', context: this.context, input, output, task: withOutput, secrets: true, locals: outputLocals(task, scope.locals) },
        path,
      );
      if (task.export) checkPayload(this.context, this.maxPayloadBytes, `the $context exported by task ${path}`, path);
      this.status.taskEnded(path, 'COMPLETED', Date.now());
      return outcome.redirect || outcome.ended ? { ...outcome, output } : { output };
    } catch (error) {
      if (error instanceof ContinueAsNewRequest) {
        throw new ContinueAsNewRequest({ rawInput, input, startedAtMs, inner: error.cursor } satisfies TaskCursor);
      }
      if (error instanceof WorkflowErrorException) {
        const located = withInstance(error.error, path);
        this.status.taskEnded(path, 'FAILED', Date.now(), located);
        // Replay-safe: the SDK's workflow logger is silent while a history replays.
        log.info('task failed', { taskPath: path, type: located.type, status: located.status, title: located.title });
        throw located === error.error ? error : new WorkflowErrorException(located);
      }
      if (isCancellation(error)) this.status.taskEnded(path, 'CANCELLED', Date.now());
      throw error;
    }
  }

  /** Zigflow's `$data`: a `set` merges its keys, a call or child workflow stores its result under the task name. */
  private recordData(task: Task, rawOutput: unknown): void {
    if (task.kind === 'set') {
      if (typeof rawOutput === 'object' && rawOutput !== null && !Array.isArray(rawOutput)) this.data = { ...this.data, ...(rawOutput as Record<string, unknown>) };
    } else if (task.kind === 'call.http' || task.kind === 'run.workflow') {
      this.data = { ...this.data, [task.name]: rawOutput };
    }
  }

  /** Milliseconds of a static or computed duration; a bad computed one is a runtime error. */
  durationMs(spec: DurationSpec, data: unknown, args: ExpressionArguments, instance: string): number {
    if (spec.kind === 'static') return spec.ms;
    const value = this.evaluator.template(spec.value, data, args, instance);
    const result = durationToMs(value);
    if (!result.ok) {
      throw workflowError('expression', { title: 'Invalid duration', detail: result.message, instance });
    }
    return result.ms;
  }

  private async execute(
    task: Task,
    input: unknown,
    rawInput: unknown,
    scope: Scope,
    resume: TaskCursor | undefined,
    descriptor: () => TaskDescriptor,
  ): Promise<TaskOutcome> {
    const run = () =>
      handlerFor(task)({
        task,
        input,
        rawInput,
        scope,
        resume: resume?.inner,
        execution: this,
        args: () => ({ site: 'task', context: this.context, input, task: descriptor, secrets: true, locals: scope.locals }),
      });
    if (!task.timeout) return run();
    const ms = this.durationMs(
      task.timeout,
      input,
      { site: 'taskTimeout', context: this.context, input, task: descriptor, secrets: true, locals: scope.locals },
      task.reference,
    );
    return this.unsafe(() =>
      withTimeout(ms, task.reference, run, () => timeoutError(`task ${task.reference}`, ms, task.reference)),
    );
  }

  /** Holds a task that is about to start while the execution is paused. */
  async whilePaused(): Promise<void> {
    if (this.paused) await condition(() => !this.paused);
  }

  /** Cancellation check, pause gate, activation budget and continue-as-new safe point, before every task starts. */
  private async beforeTask(index: number, input: unknown): Promise<void> {
    throwIfCancelled();
    await this.whilePaused();
    const info = workflowInfo();
    if (info.historyLength !== this.activationHistoryLength) {
      this.activationHistoryLength = info.historyLength;
      this.tasksThisActivation = 0;
      this.outputBytesThisActivation = 0;
    }
    const budgetSpent =
      ++this.tasksThisActivation > TASKS_PER_ACTIVATION ||
      (this.outputBytesThisActivation > OUTPUT_BYTES_PER_ACTIVATION && patched(YIELD_BY_OUTPUT_SIZE_PATCH));
    if (this.unsafeDepth === 0) {
      if (budgetSpent || this.historyWantsContinueAsNew(info)) {
        throw new ContinueAsNewRequest({ index, input } satisfies ListCursor);
      }
    } else if (budgetSpent) {
      await sleep(1, { summary: 'yield after a long run of tasks without I/O' });
    }
  }

  private historyWantsContinueAsNew(info: WorkflowInfo): boolean {
    if (info.continueAsNewSuggested) return true;
    const limit = this.limits.continueAsNewAfterEvents;
    if (limit !== undefined && info.historyLength >= limit) return true;
    const zigflow = this.limits.zigflowMaxHistoryLength;
    return zigflow !== undefined && info.historyLength >= zigflow && patched(ZIGFLOW_HISTORY_LIMIT_PATCH);
  }
}

/**
 * `$authorization` for `output.as`/`export.as` of a call that authenticated: its scheme only, the
 * parameter being a credential the compiler keeps out of expressions (SW405).
 */
function outputLocals(task: Task, locals: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (task.kind !== 'call.http' || !task.authentication) return locals;
  return { ...locals, authorization: { scheme: AUTHORIZATION_SCHEMES[task.authentication.scheme] } };
}
