/**
 * `emit`: the event is built here (expressions evaluated, id and time filled in when the document
 * gives none) so it is fixed in history, then one activity publishes it to the bus and the
 * configured sinks. The id comes from the workflow's seeded randomness: a replay or a retried
 * activity carries the same id, which the router and sinks de-duplicate on.
 */
import { uuid4 } from '@temporalio/workflow';
import type { EmitTask } from '@baton/dsl/runtime';
import { EMIT_EVENT_ACTIVITY_TYPE, workflowError } from '../../contract/index.ts';
import type { CloudEventJson, EmitEventRequest } from '../../contract/index.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

export const runEmit: TaskHandler<EmitTask> = async ({ task, input, execution, args }) => {
  const instance = task.reference;
  const built = execution.evaluator.template(task.event, input, args(), instance);
  const event = cloudEvent(built, instance);
  const request: EmitEventRequest = { event, taskReference: instance };
  checkPayload(request, execution.maxPayloadBytes, `the event emitted by task ${instance}`, instance);
  const options = callActivityOptions(task, execution, `${instance}: emit ${event.type}`);
  await callActivity(task, options, EMIT_EVENT_ACTIVITY_TYPE, [request]);
  // The spec leaves emit's output open: the task passes its input on, like `wait`.
  return { output: input };
};

function cloudEvent(value: unknown, instance: string): CloudEventJson {
  const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  for (const name of ['source', 'type'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '') {
      throw workflowError('expression', { title: 'Invalid event', detail: `the event's ${name} must be a non-empty string, got ${JSON.stringify(fields[name])}`, instance });
    }
  }
  const id = typeof fields.id === 'string' && fields.id !== '' ? fields.id : uuid4();
  const time = typeof fields.time === 'string' ? fields.time : new Date(Date.now()).toISOString();
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(fields)) {
    if (name === 'data' || attribute === null || attribute === undefined) continue;
    if (!/^[a-z0-9]{1,20}$/.test(name) || !['string', 'number', 'boolean'].includes(typeof attribute)) {
      throw workflowError('expression', { title: 'Invalid event', detail: `event attribute '${name}' must be named with 1 to 20 lower-case letters or digits and be a string, number or boolean`, instance });
    }
    attributes[name] = attribute;
  }
  const hasData = fields.data !== undefined && fields.data !== null;
  return {
    ...attributes,
    specversion: '1.0',
    id,
    source: fields.source as string,
    type: fields.type as string,
    time,
    ...(hasData ? { data: fields.data, ...(attributes.datacontenttype === undefined ? { datacontenttype: 'application/json' } : {}) } : {}),
  };
}
