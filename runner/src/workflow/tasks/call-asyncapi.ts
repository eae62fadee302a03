import type { AsyncApiCallTask, Template } from '@baton/dsl/runtime';
import { ASYNCAPI_ACTIVITY_TYPE, endpointUri, stringMap, workflowError } from '../../contract/index.ts';
import type { AsyncApiCallRequest, AsyncApiSubscribe } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions, DEFAULT_ACTIVITY_OPTIONS } from '../call-policy.ts';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution, Scope } from '../interpreter.ts';
import { exportContext, transformOutput } from '../data-flow.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler, TaskOutcome } from './types.ts';

/** A subscription's attempt outlives its `consume.for` by this much, so it ends normally rather than timing out. */
const SUBSCRIPTION_MARGIN_MS = 30_000;

/**
 * `call: asyncapi`: arguments evaluated here; the document read, the broker reached and the
 * subscription's expressions evaluated on each message by the AsyncAPI activity. A publish
 * outputs the task's input unchanged, a subscription the messages it consumed (each through its
 * `foreach`, when it has one).
 */
export const runCallAsyncApi: TaskHandler<AsyncApiCallTask> = async ({ task, input, scope, execution, args }) => {
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
    ...(task.documentAuthentication ? { documentAuthentication: authenticationArguments(task.documentAuthentication, input, evaluationArgs, execution) } : {}),
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
  if (!task.subscription) return { output: input };
  if (!task.subscription.foreach) return { output };
  return iterate(task, Array.isArray(output) ? output : [], scope, execution);
};

function subscription(task: AsyncApiCallTask, args: ExpressionArguments, execution: Execution): AsyncApiSubscribe {
  const { foreach: _iterator, ...policy } = task.subscription!;
  const expressions = [policy.filter, policy.while, policy.until].flatMap((expr) => (expr ? [{ kind: 'expr' as const, expr }] : []));
  return { ...policy, variables: execution.evaluator.bindings(expressions, args) };
}

/**
 * `foreach`, once consumption ended: the tasks run for each message in arrival order, with the
 * message as their input; each result through `output.as` is one element of the output, and
 * `export.as` updates `$context` after each. No continue-as-new is taken inside (the messages
 * are the activity's result, not a position a next run could resume from).
 */
function iterate(task: AsyncApiCallTask, messages: readonly unknown[], scope: Scope, execution: Execution): Promise<TaskOutcome> {
  const iterator = task.subscription!.foreach!;
  return execution.unsafe(async () => {
    const outputs: unknown[] = [];
    for (const [index, message] of messages.entries()) {
      const locals = { ...scope.locals, [iterator.item]: message, [iterator.at]: index };
      const result = iterator.do.length > 0 ? await execution.runList(iterator.do, message, { locals }) : { output: message, ended: false, exited: false };
      const args = { context: execution.context, input: message, secrets: true, locals };
      const output = transformOutput(iterator.output, result.output, 'message output', execution.evaluator, execution.schemas, { ...args, site: 'taskOutput' }, task.reference);
      execution.context = exportContext(iterator.export, output, execution.context, execution.evaluator, execution.schemas, { ...args, site: 'taskExport', output }, task.reference);
      outputs.push(output);
      if (result.ended) return { output: outputs, ended: true };
      if (result.exited) break;
    }
    return { output: outputs };
  });
}
