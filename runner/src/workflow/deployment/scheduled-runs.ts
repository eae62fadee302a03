/**
 * The runs of an `after` schedule, kept by the registry workflow: start the deployed document as a
 * child execution, wait for it to end, wait `after`, start again. A Temporal Schedule starts runs
 * on a clock and cannot wait for the previous one, so the loop lives here, in workflow state, and
 * survives any runner. Runs are abandoned children: undeploying stops the loop, never a run.
 */
import { condition, log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { INTERPRETER_WORKFLOW_TYPE, scheduledRunId } from '../../contract/index.ts';
import type { DeploymentState, InterpreterArgs, ScheduledRuns, ScheduledRunsView, WorkflowRef } from '../../contract/index.ts';

export interface ScheduledRunsDeps {
  readonly ref: WorkflowRef;
  readonly taskQueue: string;
  /** The current document while it has an `after` schedule, else undefined (the loop then stops). */
  readonly document: () => (DeploymentState & { readonly schedule: { readonly kind: 'after'; readonly afterMs: number } }) | undefined;
  readonly runArgs: (ref: WorkflowRef, yaml: string) => Promise<InterpreterArgs>;
}

export class ScheduledRunLoop {
  private paused: boolean;
  private note: string | undefined;
  private lastEndedAt: number | undefined;
  private lastRun: ScheduledRuns['lastRun'];
  private running: string | undefined;
  private triggered = false;
  /** Bumped by anything that moves the next run (pause, resume, trigger, redeploy): the wait starts over. */
  private changes = 0;

  constructor(
    private readonly deps: ScheduledRunsDeps,
    carried?: ScheduledRuns,
  ) {
    this.paused = carried?.paused ?? false;
    this.note = carried?.note;
    this.lastEndedAt = carried?.lastEndedAt;
    this.lastRun = carried?.lastRun;
  }

  pause(paused: boolean, note: string): void {
    this.paused = paused;
    this.note = note || undefined;
    this.changes++;
  }

  trigger(): void {
    this.triggered = true;
    this.changes++;
  }

  /** A redeploy: the interval may have changed, so the wait is computed again. */
  redeployed(): void {
    this.changes++;
  }

  /** Undeployed: a later deploy starts afresh (first run at once, not paused). */
  reset(): void {
    this.paused = false;
    this.note = undefined;
    this.lastEndedAt = undefined;
    this.lastRun = undefined;
    this.triggered = false;
    this.changes++;
  }

  carried(): ScheduledRuns {
    return {
      paused: this.paused,
      ...(this.note ? { note: this.note } : {}),
      ...(this.lastEndedAt !== undefined ? { lastEndedAt: this.lastEndedAt } : {}),
      ...(this.lastRun ? { lastRun: this.lastRun } : {}),
    };
  }

  view(): ScheduledRunsView {
    const due = this.dueAt();
    return {
      paused: this.paused,
      ...(this.note ? { note: this.note } : {}),
      ...(this.running ? { running: this.running } : {}),
      ...(!this.running && due !== undefined && (!this.paused || this.triggered) ? { nextRunAt: new Date(Math.max(due, Date.now())).toISOString() } : {}),
      ...(this.lastRun ? { lastRun: this.lastRun } : {}),
    };
  }

  /**
   * Starts runs as they fall due until `stop` (undeployed, history too long) or the document no
   * longer has an `after` schedule; returns between runs only, never while one is being awaited
   * (except when undeployed), so continue-as-new never loses a run.
   */
  async serve(stop: () => boolean, undeployed: () => boolean): Promise<void> {
    const quit = () => stop() || this.deps.document() === undefined;
    while (!quit()) {
      const seen = this.changes;
      if (this.paused && !this.triggered) {
        await condition(() => quit() || this.changes !== seen);
        continue;
      }
      const wait = (this.dueAt() ?? 0) - Date.now();
      if (wait > 0) {
        await condition(() => quit() || this.changes !== seen, wait);
        continue;
      }
      this.triggered = false;
      await this.runOnce(undeployed);
    }
  }

  private dueAt(): number | undefined {
    const schedule = this.deps.document()?.schedule;
    if (!schedule) return undefined;
    if (this.triggered || this.lastEndedAt === undefined) return Date.now();
    return this.lastEndedAt + schedule.afterMs;
  }

  private async runOnce(undeployed: () => boolean): Promise<void> {
    const document = this.deps.document()!;
    const startedAt = new Date(Date.now()).toISOString();
    const executionId = scheduledRunId(this.deps.ref, startedAt);
    let ended = false;
    try {
      const args = await this.deps.runArgs(this.deps.ref, document.yaml);
      const child = await startChild(INTERPRETER_WORKFLOW_TYPE, {
        workflowId: executionId,
        taskQueue: this.deps.taskQueue,
        args: [{ ...args, executionId }],
        // Undeploying stops the schedule, not a run already going (as for a Temporal Schedule).
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `scheduled run of ${executionId.slice('baton-scheduled/'.length)}`,
      });
      this.running = executionId;
      this.lastRun = { executionId, startedAt };
      // A run that fails is still a run that ended: the next one is due `after` it, as after a success.
      void child.result().then(
        () => (ended = true),
        () => (ended = true),
      );
      await condition(() => ended || undeployed());
    } catch (error) {
      // The document does not compile on this runner, or the run could not start: try again `after`
      // from now rather than in a tight loop; `baton schedules` shows the last run that did start.
      log.warn('a scheduled run could not start', { executionId, error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = undefined;
      this.lastEndedAt = Date.now();
    }
  }
}
