/** `call: asyncapi`: publish a message to, or consume messages from, a channel of an AsyncAPI document, over MQTT. */
import { variableName } from '../../document/variable-name.ts';
import { joinPointer } from '../../parse/pointer.ts';
import type { AsyncApiCallTask, AsyncApiProtocol, AsyncApiSubscription, SubscriptionIterator } from '../../plan.ts';
import { runtimeExpression, template } from '../expressions.ts';
import type { CompileContext } from '../context.ts';
import { dataExport, dataOut } from '../data.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';
import { staticMs } from '../durations.ts';

export function asyncApiCall(site: TaskSite, base: TaskBaseFields): AsyncApiCallTask {
  const { ctx, pointer } = site;
  const args = asObject(site.body.with)!;
  const authentication = endpointAuthentication(ctx, args.authentication);
  const protocol = asString(args.protocol);
  const operation = asString(args.operation);
  const channel = asString(args.channel);
  const server = asObject(args.server);
  const serverName = asString(server?.name);
  const message = asObject(args.message);
  const subscription = asObject(args.subscription);
  const documentAuthentication = externalResourceAuthentication(ctx, args.document);
  return {
    ...base,
    kind: 'call.asyncapi',
    document: externalResource(ctx, args.document),
    ...(operation !== undefined ? { operation } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(serverName !== undefined ? { server: { name: serverName, ...(server?.variables !== undefined ? { variables: template(ctx, server.variables) } : {}) } } : {}),
    ...(protocol !== undefined ? { protocol: protocol as AsyncApiProtocol } : {}),
    ...(message
      ? {
          message: {
            ...(message.payload !== undefined ? { payload: template(ctx, message.payload) } : {}),
            ...(message.headers !== undefined ? { headers: template(ctx, message.headers) } : {}),
          },
        }
      : {}),
    ...(subscription ? { subscription: subscriptionOf(ctx, subscription, joinPointer(pointer, 'with', 'subscription')) } : {}),
    ...(authentication ? { authentication } : {}),
    ...(documentAuthentication ? { documentAuthentication } : {}),
  };
}

function subscriptionOf(ctx: CompileContext, subscription: Readonly<Record<string, unknown>>, pointer: string): AsyncApiSubscription {
  const consume = asObject(subscription.consume)!;
  const amount = consume.amount;
  const filter = runtimeExpression(ctx, subscription.filter);
  const whileCondition = runtimeExpression(ctx, consume.while);
  const until = runtimeExpression(ctx, consume.until);
  const forMs = staticMs(consume.for);
  const foreach = asObject(subscription.foreach);
  return {
    ...(filter ? { filter } : {}),
    ...(typeof amount === 'number' ? { amount } : {}),
    ...(whileCondition ? { while: whileCondition } : {}),
    ...(until ? { until } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
    ...(foreach ? { foreach: iteratorOf(ctx, foreach, joinPointer(pointer, 'foreach')) } : {}),
  };
}

function iteratorOf(ctx: CompileContext, iterator: Readonly<Record<string, unknown>>, pointer: string): SubscriptionIterator {
  return {
    item: variableName(iterator.item, 'item'),
    at: variableName(iterator.at, 'index'),
    do: iterator.do === undefined ? [] : compileTaskList(ctx, iterator.do, joinPointer(pointer, 'do')),
    output: dataOut(ctx, iterator.output),
    export: dataExport(ctx, iterator.export),
  };
}
