/**
 * `listen`: subscribe with the namespace's event router (an activity), take the events it
 * delivers in arrival order, keep those the strategy consumes (de-duplicated by source and id),
 * run `foreach` on each as it is consumed, and unsubscribe however the task ends (a signal).
 * Continue-as-new is not taken inside a listen: its subscription is tied to this run.
 */
import { CancellationScope, condition, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ListenTask } from '@baton/dsl/runtime';
import { eventRouterWorkflowId, unsubscribeEventsSignal, workflowError } from '../../contract/index.ts';
import type { CloudEventJson, EventActivities } from '../../contract/index.ts';
import { exportContext, transformOutput } from '../data-flow.ts';
import { awaitedEvents, ConsumptionProgress, prepareConsumption, readEvent, routeFilters } from '../events/consumption.ts';
import type { Correlations, FilterChecks } from '../events/consumption.ts';
import { openInbox } from '../events/inbox.ts';
import { toWorkflowError } from '../failures.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

const router = proxyActivities<EventActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export const runListen: TaskHandler<ListenTask> = async ({ task, input, scope, execution, args }) => {
  const evaluationArgs = args();
  const instance = task.reference;
  const evaluator = execution.evaluator;
  const consumption = prepareConsumption(
    task.to,
    (value) => evaluator.template(value, input, evaluationArgs, instance),
    (value) => evaluator.template(value, input, evaluationArgs, instance),
  );
  const checks: FilterChecks = {
    testData: (filter, data) => filter.spec.data?.kind === 'test' && evaluator.test(filter.spec.data.expr, data, evaluationArgs, instance),
    extract: (filter, name, event) => {
      const correlation = filter.spec.correlate.find((candidate) => candidate.name === name)!;
      return evaluator.evaluate(correlation.from, event, evaluationArgs, instance);
    },
  };
  const correlations: Correlations = new Map();
  const inbox = openInbox(task.reference);
  const { workflowId, taskQueue } = workflowInfo();
  const subscription = { workflowId, key: inbox.key, filters: routeFilters(consumption) };
  checkPayload(subscription, execution.maxPayloadBytes, `the event subscription of task ${instance}`, instance);
  try {
    try {
      await router.subscribeEvents(subscription);
    } catch (error) {
      throw toWorkflowError(error, instance, 'runtime');
    }
    // Memory only (the status query): what `baton run`/`watch` show this task waits for.
    execution.status.taskAwaiting(instance, awaitedEvents(consumption));
    const main = new ConsumptionProgress(consumption, correlations, checks);
    const until = consumption.kind === 'any' && consumption.until?.kind === 'events' ? new ConsumptionProgress(consumption.until.consume, correlations, checks) : undefined;
    // `.` of the condition is the array of events consumed so far, as read.
    const untilCondition = task.to.kind === 'any' && task.to.until?.kind === 'condition' ? task.to.until.expr : undefined;
    const seen = new Set<string>();
    const consumed: unknown[] = [];
    const outputs: unknown[] = [];
    for (;;) {
      await condition(() => inbox.events.length > 0 || inbox.refusal !== undefined);
      if (inbox.refusal !== undefined) {
        throw workflowError('runtime', { title: 'Event subscription refused', detail: inbox.refusal, status: 503, instance });
      }
      const event = inbox.events.shift() as CloudEventJson;
      const id = `${event.source} ${event.id}`;
      if (seen.has(id)) continue;
      if (until?.offer(event)) {
        seen.add(id);
        if (until.done) break;
        continue;
      }
      if (!main.offer(event)) continue;
      seen.add(id);
      const item = readEvent(event, task.read);
      consumed.push(item);
      if (task.foreach) {
        const iteration = await iterate(task, item, consumed.length - 1);
        outputs.push(iteration.output);
        // `then: end` in the body ends the workflow, as anywhere else.
        if (iteration.ended) return { output: outputs, ended: true };
      }
      if (main.done) break;
      if (untilCondition && evaluator.test(untilCondition, consumed, evaluationArgs, instance)) break;
    }
    return { output: task.foreach ? outputs : consumed };
  } finally {
    inbox.close();
    await CancellationScope.nonCancellable(() =>
      getExternalWorkflowHandle(eventRouterWorkflowId(taskQueue))
        .signal(unsubscribeEventsSignal, { workflowId, key: inbox.key })
        .catch(() => undefined),
    );
  }

  /** One consumed event through `foreach.do`, then its `output.as` and `export.as`. */
  async function iterate(listen: ListenTask, item: unknown, index: number): Promise<{ output: unknown; ended: boolean }> {
    const foreach = listen.foreach!;
    const locals = { ...scope.locals, [foreach.item]: item, [foreach.at]: index };
    const result = await execution.unsafe(() => execution.runList(foreach.do, item, { locals }));
    const outputArgs = { ...args(), locals };
    const output = transformOutput(foreach.output, result.output, 'foreach output', evaluator, execution.schemas, outputArgs, instance);
    execution.context = exportContext(foreach.export, output, execution.context, evaluator, execution.schemas, { ...outputArgs, output }, instance);
    return { output, ended: result.ended };
  }
};
