/**
 * The event trigger of a deployment (`schedule.on`), kept by its registry workflow. The registry
 * subscribes to the runner's event router like a listening execution does (same router, same
 * delivery signal, one subscription key for the deployment), checks each delivered event against
 * what the router cannot (data filters, correlation), and starts one execution per set of events
 * consumed: an abandoned child whose id comes from the deployment and the completing event's
 * source and id, so Temporal itself refuses a second start for the same event. Nothing lives in
 * a runner: the subscription is the router's, the open `all` sets are this workflow's state.
 */
import { log, ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import type { EventScheduleSpec } from '@baton/dsl/runtime';
import { deliverEventSignal, INTERPRETER_WORKFLOW_TYPE, triggeredRunId } from '../../contract/index.ts';
import type { CloudEventJson, DeploymentState, InterpreterArgs, RouteFilter, TriggeredRuns, TriggeredRunsView, WorkflowRef } from '../../contract/index.ts';
import { matches, prepareConsumption, recordCorrelations, routeFilters } from '../events/consumption.ts';
import type { FilterChecks, PreparedConsumption, PreparedFilter } from '../events/consumption.ts';
import { ExpressionEvaluator } from '../expressions.ts';
import { RUNTIME_DESCRIPTOR } from '../interpreter.ts';

/** The router subscription key of a deployment's trigger: one per registry, replaced on redeploy. */
export const TRIGGER_SUBSCRIPTION_KEY = 'schedule.on';

/**
 * Sets of a `to.all` trigger begun and not complete. Past this many, the oldest is dropped (and
 * counted): a stream of first halves whose second halves never come must not grow the registry.
 */
export const MAX_OPEN_SETS = 200;

/** Events delivered and not yet handled, kept while a run starts; more are refused as a burst. */
const MAX_QUEUED_EVENTS = 5_000;

export type TriggerDocument = DeploymentState & { readonly schedule: EventScheduleSpec };

export interface EventTriggerDeps {
  readonly ref: WorkflowRef;
  readonly taskQueue: string;
  /** The current document while it has an `on` schedule, else undefined. */
  readonly document: () => TriggerDocument | undefined;
  readonly runArgs: (ref: WorkflowRef, yaml: string) => Promise<InterpreterArgs>;
}

interface OpenSet {
  readonly events: CloudEventJson[];
  /** Indexes of the `all` filters still waiting for their event. */
  readonly pending: number[];
  readonly correlations: Map<string, unknown>;
}

export class EventTrigger {
  private readonly queue: CloudEventJson[];
  private sets: OpenSet[];
  private lastRun: TriggeredRuns['lastRun'];
  private started: number;
  private duplicates: number;
  private dropped: number;
  private refusal: string | undefined;
  /** Compiled once per revision (by digest) and kept in memory; a continue-as-new compiles again. */
  private args: { readonly digest: string; readonly args: InterpreterArgs } | undefined;
  private prepared: { readonly digest: string; readonly consumption: PreparedConsumption } | undefined;
  private readonly evaluator: ExpressionEvaluator;

  constructor(
    private readonly deps: EventTriggerDeps,
    carried?: TriggeredRuns,
  ) {
    this.queue = [...(carried?.queue ?? [])];
    this.sets = (carried?.sets ?? []).map((set) => ({ events: [...set.events], pending: [...set.pending], correlations: new Map(Object.entries(set.correlations)) }));
    this.lastRun = carried?.lastRun;
    this.started = carried?.started ?? 0;
    this.duplicates = carried?.duplicates ?? 0;
    this.dropped = carried?.dropped ?? 0;
    this.evaluator = new ExpressionEvaluator({ id: '', definition: {} }, RUNTIME_DESCRIPTOR, {});
    setHandler(deliverEventSignal, (delivery) => {
      if (delivery.kind === 'refused') {
        if (delivery.key === TRIGGER_SUBSCRIPTION_KEY) this.refusal = delivery.reason;
        return;
      }
      for (const item of delivery.items) {
        if (!item.keys.includes(TRIGGER_SUBSCRIPTION_KEY) || !this.deps.document()) continue;
        if (this.queue.length >= MAX_QUEUED_EVENTS) this.dropped++;
        else this.queue.push(item.event);
      }
    });
  }

  /** Events are waiting to be matched. */
  get pending(): boolean {
    return this.queue.length > 0 && this.deps.document() !== undefined;
  }

  /** What the router is told to deliver here: the attribute filters of the document's strategy. */
  routeFilters(document: TriggerDocument): RouteFilter[] {
    return routeFilters(this.consumptionOf(document));
  }

  /** A redeploy: sets begun under the previous filters can no longer complete the same way. */
  redeployed(): void {
    this.sets = [];
    this.refusal = undefined;
  }

  /** Undeployed: nothing of the trigger stays for a later deploy. */
  reset(): void {
    this.sets = [];
    this.queue.length = 0;
    this.lastRun = undefined;
    this.refusal = undefined;
  }

  carried(): TriggeredRuns {
    return {
      queue: [...this.queue],
      sets: this.sets.map((set) => ({ events: set.events, pending: set.pending, correlations: Object.fromEntries(set.correlations) })),
      started: this.started,
      duplicates: this.duplicates,
      dropped: this.dropped,
      ...(this.lastRun ? { lastRun: this.lastRun } : {}),
    };
  }

  view(): TriggeredRunsView {
    return {
      paused: false,
      started: this.started,
      duplicates: this.duplicates,
      dropped: this.dropped,
      openSets: this.sets.length,
      ...(this.refusal ? { refusal: this.refusal } : {}),
      ...(this.lastRun ? { lastRun: this.lastRun } : {}),
    };
  }

  /** Matches the queued events in arrival order and starts a run for each completed set. */
  async handleQueued(stop: () => boolean): Promise<void> {
    while (this.queue.length > 0 && !stop()) {
      const document = this.deps.document();
      if (!document) return;
      const event = this.queue.shift()!;
      let completed: CloudEventJson[] | undefined;
      try {
        completed = this.offer(this.consumptionOf(document), event);
      } catch (error) {
        // A data filter or correlation expression failed on this event: it matches nothing.
        log.warn('an event could not be matched against schedule.on', { source: event.source, id: event.id, error: error instanceof Error ? error.message : String(error) });
      }
      if (completed) await this.start(document, completed);
    }
  }

  private consumptionOf(document: TriggerDocument): PreparedConsumption {
    if (this.prepared?.digest !== document.digest) {
      // Attributes and `expect` are literals (the compiler refused anything else).
      const literal = (template: Parameters<ExpressionEvaluator['template']>[0]) => this.evaluator.template(template, null, { site: 'workflowInput', locals: {} }, '/schedule/on');
      this.prepared = { digest: document.digest, consumption: prepareConsumption(document.schedule.consume, literal, literal) };
    }
    return this.prepared.consumption;
  }

  /** The events of a completed set, or undefined while the event completes none. */
  private offer(consumption: PreparedConsumption, event: CloudEventJson): CloudEventJson[] | undefined {
    const checks = this.checks();
    switch (consumption.kind) {
      case 'one':
        return matches(consumption.filter, event, new Map(), checks) ? [event] : undefined;
      case 'any':
        return consumption.filters.length === 0 || consumption.filters.some((filter) => matches(filter, event, new Map(), checks)) ? [event] : undefined;
      case 'all': {
        const filters = consumption.filters;
        for (const set of this.sets) {
          const index = set.pending.find((candidate) => matches(filters[candidate]!, event, set.correlations, checks));
          if (index === undefined) continue;
          take(set, index, filters[index]!, event, checks);
          if (set.pending.length > 0) return undefined;
          this.sets.splice(this.sets.indexOf(set), 1);
          return set.events;
        }
        const index = filters.findIndex((filter) => matches(filter, event, new Map(), checks));
        if (index < 0) return undefined;
        const set: OpenSet = { events: [], pending: filters.map((_, position) => position), correlations: new Map() };
        take(set, index, filters[index]!, event, checks);
        if (set.pending.length === 0) return set.events;
        this.sets.push(set);
        if (this.sets.length > MAX_OPEN_SETS) {
          this.sets.shift();
          this.dropped++;
        }
        return undefined;
      }
    }
  }

  private checks(): FilterChecks {
    const args = { site: 'workflowInput' as const, locals: {} };
    return {
      testData: (filter, data) => filter.spec.data?.kind === 'test' && this.evaluator.test(filter.spec.data.expr, data, args, '/schedule/on'),
      extract: (filter, name, event) => {
        const correlation = filter.spec.correlate.find((candidate) => candidate.name === name)!;
        return this.evaluator.evaluate(correlation.from, event, args, '/schedule/on');
      },
    };
  }

  private async start(document: TriggerDocument, events: readonly CloudEventJson[]): Promise<void> {
    const last = events.at(-1)!;
    const executionId = triggeredRunId(this.deps.ref, last);
    try {
      if (this.args?.digest !== document.digest) this.args = { digest: document.digest, args: await this.deps.runArgs(this.deps.ref, document.yaml) };
      await startChild(INTERPRETER_WORKFLOW_TYPE, {
        workflowId: executionId,
        taskQueue: this.deps.taskQueue,
        // The spec's input of an event-driven run: the array of the events that triggered it.
        args: [{ ...this.args.args, executionId, input: [...events] }],
        // One execution per event, ever: a second start of this id is refused, even once it closed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Undeploying stops the trigger, not a run already going.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `run of ${document.ref.namespace}/${document.ref.name}/${document.ref.version} on event ${last.type} from ${last.source}`,
      });
      this.started++;
      this.lastRun = { executionId, startedAt: new Date(Date.now()).toISOString() };
    } catch (error) {
      // By name: the error class lives in @temporalio/common, outside what workflow code imports.
      if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') {
        this.duplicates++;
        return;
      }
      log.warn('a run on an event could not start', { executionId, error: error instanceof Error ? error.message : String(error) });
    }
  }
}

function take(set: OpenSet, index: number, filter: PreparedFilter, event: CloudEventJson, checks: FilterChecks): void {
  recordCorrelations(filter, event, set.correlations, checks);
  set.pending.splice(set.pending.indexOf(index), 1);
  set.events.push(event);
}
