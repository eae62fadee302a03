import type { AsyncApiCallTask, Template } from '@baton/dsl/runtime';
import { ASYNCAPI_ACTIVITY_TYPE, endpointUri, stringMap, workflowError } from '../../contract/index.ts';
import type { AsyncApiCallRequest, AsyncApiSubscribe } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions, DEFAULT_ACTIVITY_OPTIONS } from '../call-policy.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution } from '../interpreter.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

/** A subscription's attempt outlives its `consume.for` by this much, so it ends normally rather than timing out. */
const SUBSCRIPTION_MARGIN_MS = 30_000;

/**
 * `call: asyncapi`: arguments evaluated here; the document read, the broker reached and the
 * subscription's expressions evaluated on each message by the AsyncAPI activity. A publish
 * outputs the task's input unchanged, a subscription the messages it consumed.
 */
export const runCallAsyncApi: TaskHandler<AsyncApiCallTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const evaluate = (template: Template) => execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const invalid = (title: string, detail: string) => workflowError('expression', { title, detail, instance: task.reference });
  const document = endpointUri(evaluate(task.document));
  if (document === undefined || document === '') throw invalid('Invalid document', 'the AsyncAPI document endpoint must be a URI or a path');
  const strings = (template: Template | undefined, what: string) => {
    const map = template ? stringMap(evaluate(template)) : {};
    if (!map) throw invalid(`Invalid ${what}`, `${what} must be an object of name → value`);
    return map;
  };
  const request: AsyncApiCallRequest = {
    document,
    ...(task.operation !== undefined ? { operation: task.operation } : {}),
    ...(task.channel !== undefined ? { channel: task.channel } : {}),
    ...(task.server ? { server: { name: task.server.name, variables: strings(task.server.variables, 'server variables') } } : {}),
    ...(task.protocol !== undefined ? { protocol: task.protocol } : {}),
    ...(task.message ? { publish: { payload: task.message.payload ? evaluate(task.message.payload) : null, headers: strings(task.message.headers, 'message headers') } } : {}),
    ...(task.subscription ? { subscribe: subscription(task, evaluationArgs, execution) } : {}),
    taskReference: task.reference,
    ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, evaluationArgs, execution) } : {}),
  };
  checkPayload(request, execution.maxPayloadBytes, `the AsyncAPI request of task ${task.reference}`, task.reference);
  const target = task.operation ?? task.channel ?? '';
  const forMs = task.subscription?.forMs;
  const options = callActivityOptions(task, execution, `${task.reference}: ${task.subscription ? 'consume' : 'publish'} ${target}`);
  if (forMs !== undefined) {
    const configured = typeof options.startToCloseTimeout === 'number' ? options.startToCloseTimeout : DEFAULT_ACTIVITY_OPTIONS.startToCloseTimeoutMs;
    options.startToCloseTimeout = Math.max(configured, forMs + SUBSCRIPTION_MARGIN_MS);
  }
  const output = await callActivity(task, options, ASYNCAPI_ACTIVITY_TYPE, [request]);
  return { output: task.subscription ? output : input };
};

function subscription(task: AsyncApiCallTask, args: ExpressionArguments, execution: Execution): AsyncApiSubscribe {
  const policy = task.subscription!;
  const expressions = [policy.filter, policy.while, policy.until].flatMap((expr) => (expr ? [{ kind: 'expr' as const, expr }] : []));
  return { ...policy, variables: execution.evaluator.bindings(expressions, args) };
}
