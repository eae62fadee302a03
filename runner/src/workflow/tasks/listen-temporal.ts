/**
 * Zigflow's `listen` for Temporal messages (plan kind `listen.temporal`), with Zigflow's meaning:
 * - a listen of queries registers them and goes on at once; each then answers its `data`, as the
 *   execution stands when asked, until the execution ends;
 * - a listen of signals and updates waits until every listener (`all`, `one`) or one (`any`)
 *   accepted a message, and fails with a timeout error after `metadata.timeout` (one minute).
 *   A signal's payload goes to `$data.<task name>`, an update's argument to `$data.<update name>`;
 *   `acceptIf` is then evaluated and only `true` accepts. An update always answers its `data`
 *   (null without): one that `acceptIf` does not accept is answered and leaves the listen waiting.
 * The task's output is null, as Zigflow's.
 */
import { CancellationScope, condition, defineUpdate, isCancellation, setHandler, sleep } from '@temporalio/workflow';
import { ZIGFLOW_LISTEN_TIMEOUT_MS } from '@baton/dsl/runtime';
import type { Template, TemporalListener, TemporalListenTask } from '@baton/dsl/runtime';
import { inDocumentForm, problemFailure, WorkflowErrorException, workflowError } from '../../contract/index.ts';
import type { TaskAwaiting } from '../../contract/index.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution } from '../interpreter.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

export const runTemporalListen: TaskHandler<TemporalListenTask> = async ({ task, execution, args, scope }) => {
  if (task.listeners.every((listener) => listener.kind === 'query')) {
    const startedAtMs = Date.now();
    for (const listener of task.listeners) {
      execution.messages.answer(
        { name: listener.name, ...(listener.reply ? { reply: listener.reply } : {}), task: { name: task.name, reference: task.reference, startedAtMs }, locals: scope.locals },
        execution,
      );
    }
    return { output: null };
  }
  await new Listening(task, execution, args).run();
  return { output: null };
};

class Listening {
  private readonly accepted = new Set<number>();
  private expired = false;

  constructor(
    private readonly task: TemporalListenTask,
    private readonly execution: Execution,
    private readonly args: () => ExpressionArguments,
  ) {}

  async run(): Promise<void> {
    const updates = this.openUpdates();
    const timer = new CancellationScope();
    const ms = this.task.timeoutMs ?? ZIGFLOW_LISTEN_TIMEOUT_MS;
    const timing = timer.run(() => sleep(ms, { summary: `listen ${this.task.reference}` })).then(
      () => {
        this.expired = true;
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
    try {
      for (;;) {
        this.readSignals();
        if (this.done()) return;
        if (this.expired) {
          throw workflowError('timeout', {
            title: 'Listen timed out',
            detail: `no ${this.awaited()} was accepted within ${ms} ms`,
            instance: this.task.reference,
          });
        }
        this.execution.status.taskAwaiting(this.task.reference, this.awaiting());
        // An update accepted in its handler wakes the loop too, so the status stops showing it.
        const accepted = this.accepted.size;
        await condition(() => this.expired || this.done() || this.accepted.size !== accepted || this.execution.messages.hasSignal(this.openSignals()));
      }
    } finally {
      timer.cancel();
      await timing;
      for (const name of updates) setHandler(defineUpdate(name), undefined);
    }
  }

  private done(): boolean {
    return this.task.until === 'any' ? this.accepted.size > 0 : this.accepted.size === this.task.listeners.length;
  }

  /** The signal names still waited for. */
  /** The signals and updates still open, as the status query shows them (memory only). */
  private awaiting(): TaskAwaiting {
    const open = (kind: 'signal' | 'update') => this.task.listeners.flatMap((listener, index) => (listener.kind === kind && !this.accepted.has(index) ? [listener.name] : []));
    return { kind: 'messages', strategy: this.task.until, signals: open('signal'), updates: open('update') };
  }

  private openSignals(): Set<string> {
    const names = new Set<string>();
    this.task.listeners.forEach((listener, index) => {
      if (listener.kind === 'signal' && !this.accepted.has(index)) names.add(listener.name);
    });
    return names;
  }

  /** Takes the waiting signals in arrival order, until the listen is done. */
  private readSignals(): void {
    while (!this.done()) {
      const signal = this.execution.messages.takeSignal(this.openSignals());
      if (!signal) return;
      this.execution.data = { ...this.execution.data, [this.task.name]: signal.payload };
      const index = this.task.listeners.findIndex((listener, at) => listener.kind === 'signal' && listener.name === signal.name && !this.accepted.has(at));
      if (this.accepts(this.task.listeners[index]!)) this.accepted.add(index);
    }
  }

  /** Registers the update handlers; they are removed when the listen ends (returns their names). */
  private openUpdates(): string[] {
    const names: string[] = [];
    this.task.listeners.forEach((listener, index) => {
      if (listener.kind !== 'update') return;
      names.push(listener.name);
      setHandler(defineUpdate<unknown, [unknown?]>(listener.name), (payload?: unknown) => {
        // An update's failure must reach its caller, not fail the workflow task: errors become ApplicationFailures.
        try {
          this.execution.data = { ...this.execution.data, [listener.name]: payload ?? null };
          const accepted = this.accepts(listener);
          const reply = listener.reply ? this.evaluate(listener.reply) : null;
          checkPayload(reply, this.execution.maxPayloadBytes, `the answer to update ${listener.name}`, this.task.reference);
          if (accepted) this.accepted.add(index);
          return reply;
        } catch (error) {
          if (error instanceof WorkflowErrorException) throw problemFailure(inDocumentForm(error.error, this.execution.plan));
          throw error;
        }
      });
    });
    return names;
  }

  /** `acceptIf` absent accepts; otherwise only a result of `true` does (Zigflow's rule). */
  private accepts(listener: TemporalListener): boolean {
    if (listener.kind === 'query' || !listener.acceptIf) return true;
    return this.evaluate(listener.acceptIf) === true;
  }

  private evaluate(value: Template): unknown {
    // Zigflow evaluates listener fields with `.` null; `$data`, `$output`, `$context` are as they are now.
    return this.execution.evaluator.template(value, null, this.args(), this.task.reference);
  }

  private awaited(): string {
    const open = this.task.listeners.filter((_, index) => !this.accepted.has(index)).map((listener) => `${listener.kind} '${listener.name}'`);
    return this.task.until === 'any' ? open.join(' or ') : open.join(' and ');
  }
}
