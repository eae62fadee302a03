/**
 * The Temporal messages a Zigflow document listens for (`listen` with `with.type` signal, query or
 * update), as the execution holds them between tasks:
 * - signals are received from the first moment into an inbox, in arrival order, whether or not a
 *   listen is waiting for them yet (as Zigflow's signal channels buffer them), and each listen
 *   takes the ones it names. Receiving through our own inbox rather than Temporal's buffer keeps
 *   unread signals across continue-as-new;
 * - queries, once their listen task has run, answer for the rest of the execution (carried over
 *   continue-as-new too).
 * Update handlers live only while their listen waits: tasks/listen-temporal.ts.
 */
import { defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import type { Plan, Task, Template } from '@baton/dsl/runtime';
import { dateTimeDescriptor } from './expressions.ts';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions.ts';

export interface ReceivedSignal {
  readonly name: string;
  readonly payload: unknown;
}

/** A query listener that has started answering, with what its answer's expressions read. */
export interface AnsweredQuery {
  readonly name: string;
  readonly reply?: Template;
  readonly task: { readonly name: string; readonly reference: string; readonly startedAtMs: number };
  readonly locals: Readonly<Record<string, unknown>>;
}

/** What continue-as-new carries: unread signals and the queries being answered. */
export interface CarriedMessages {
  readonly signals: readonly ReceivedSignal[];
  readonly queries: readonly AnsweredQuery[];
}

/** What answering a query reads from the execution (the Execution itself), when the query comes. */
export interface AnsweringState {
  readonly evaluator: Pick<ExpressionEvaluator, 'template'>;
  readonly context: unknown;
}

export class TemporalMessages {
  private inbox: ReceivedSignal[] = [];
  private readonly queries = new Map<string, AnsweredQuery>();

  /** Opens an inbox for every signal the plan listens for, and answers the queries a previous run answered. */
  open(plan: Plan, state: AnsweringState, carried: CarriedMessages | undefined): void {
    this.inbox = [...(carried?.signals ?? [])];
    for (const name of Array.isArray(plan.do) ? signalNames(plan.do) : []) {
      setHandler(defineSignal<[unknown?]>(name), (payload?: unknown) => {
        this.inbox.push({ name, payload: payload ?? null });
      });
    }
    for (const query of carried?.queries ?? []) this.answer(query, state);
  }

  hasSignal(names: ReadonlySet<string>): boolean {
    return this.inbox.some((signal) => names.has(signal.name));
  }

  /** The oldest unread signal among `names`, taken out of the inbox. */
  takeSignal(names: ReadonlySet<string>): ReceivedSignal | undefined {
    const index = this.inbox.findIndex((signal) => names.has(signal.name));
    return index < 0 ? undefined : this.inbox.splice(index, 1)[0];
  }

  /** From now on the query `name` answers `reply`, evaluated against the execution as it is when asked. */
  answer(query: AnsweredQuery, state: AnsweringState): void {
    this.queries.set(query.name, query);
    const { task } = query;
    setHandler(defineQuery<unknown>(query.name), () => {
      if (!query.reply) return null;
      const args: ExpressionArguments = {
        site: 'task',
        context: state.context,
        input: null,
        task: () => ({ name: task.name, reference: task.reference, definition: { kind: 'listen.temporal', name: task.name }, input: null, startedAt: dateTimeDescriptor(task.startedAtMs) }),
        secrets: true,
        locals: query.locals,
      };
      // Zigflow evaluates it with `.` null, like every listener field.
      return state.evaluator.template(query.reply, null, args, task.reference);
    });
  }

  carried(): CarriedMessages | undefined {
    if (this.inbox.length === 0 && this.queries.size === 0) return undefined;
    return { signals: this.inbox, queries: [...this.queries.values()] };
  }
}

/** Every signal name a `listen` of the plan receives, in any nested task list. */
function signalNames(tasks: readonly Task[], names = new Set<string>()): Set<string> {
  for (const task of tasks) {
    switch (task.kind) {
      case 'listen.temporal':
        for (const listener of task.listeners) if (listener.kind === 'signal') names.add(listener.name);
        break;
      case 'do':
      case 'for':
        signalNames(task.do, names);
        break;
      case 'fork':
        signalNames(task.branches, names);
        break;
      case 'try':
        signalNames(task.try, names);
        signalNames(task.catch.do ?? [], names);
        break;
      default:
        break;
    }
  }
  return names;
}
