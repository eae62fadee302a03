/**
 * `call: asyncapi`: publish a message to, or consume messages from, a channel of an AsyncAPI
 * document, over MQTT. What the runner cannot do is refused here, at its position: another
 * protocol, authentication other than basic (the broker's username and password).
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { AsyncApiCallTask, AsyncApiProtocol, AsyncApiSubscription, SubscriptionIterator } from '../../plan.ts';
import { atSite, extendScope, runtimeExpression, template } from '../expressions.ts';
import { dataExport, dataOut } from '../data.ts';
import { compileTaskList } from '../task-list.ts';
import { variableName } from './for.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';
import { staticMs } from '../durations.ts';

const ASYNCAPI_PROTOCOLS: readonly AsyncApiProtocol[] = ['mqtt', 'mqtt5'];

export function asyncApiCall(site: TaskSite, base: TaskBaseFields): AsyncApiCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return undefined;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  // The policy may read $secrets: the activity evaluates it, so nothing of it enters history.
  const authentication = ctx.allowingSecrets(() => endpointAuthentication(ctx, args.authentication, at('authentication'), scope));
  if (authentication && authentication.scheme !== 'basic') {
    ctx.error('SW501', at('authentication', ...(authentication.name === undefined ? [authentication.scheme] : ['use'])), `${authentication.scheme} authentication is not supported on \`call: asyncapi\`: an MQTT broker takes a username and password (basic)`);
  }
  const protocol = asString(args.protocol);
  if (protocol !== undefined && !(ASYNCAPI_PROTOCOLS as readonly string[]).includes(protocol)) {
    ctx.error('SW501', at('protocol'), `the ${protocol} protocol is not supported yet; \`call: asyncapi\` speaks ${ASYNCAPI_PROTOCOLS.join(', ')}`);
  }
  const document = externalResource(site, args.document, at('document'), 'an AsyncAPI document');
  const documentAuthentication = externalResourceAuthentication(site, args.document, at('document'));
  const operation = asString(args.operation);
  const channel = asString(args.channel);
  for (const [key, value] of [['operation', operation], ['channel', channel]] as const) {
    if (value !== undefined && value.trim() === '') ctx.error('SW307', at(key), `${key} must name one of the document's ${key}s`);
  }
  const server = asObject(args.server);
  const serverName = asString(server?.name);
  const message = asObject(args.message);
  const subscription = subscriptionOf(site, asObject(args.subscription), at('subscription'));
  if (!document || (operation === undefined && channel === undefined)) return undefined;
  if (!message && !subscription) return undefined;
  return {
    ...base,
    kind: 'call.asyncapi',
    document,
    ...(operation !== undefined ? { operation } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(serverName !== undefined
      ? { server: { name: serverName, ...(server?.variables !== undefined ? { variables: template(ctx, server.variables, at('server', 'variables'), scope) } : {}) } }
      : {}),
    ...(protocol !== undefined ? { protocol: protocol as AsyncApiProtocol } : {}),
    ...(message
      ? {
          message: {
            ...(message.payload !== undefined ? { payload: template(ctx, message.payload, at('message', 'payload'), scope) } : {}),
            ...(message.headers !== undefined ? { headers: template(ctx, message.headers, at('message', 'headers'), scope) } : {}),
          },
        }
      : {}),
    ...(subscription ? { subscription } : {}),
    ...(authentication ? { authentication } : {}),
    ...(documentAuthentication ? { documentAuthentication } : {}),
  };
}

function subscriptionOf(site: TaskSite, subscription: Record<string, unknown> | undefined, pointer: string): AsyncApiSubscription | undefined {
  if (!subscription) return undefined;
  const { ctx, scope } = site;
  const at = (...keys: string[]) => joinPointer(pointer, ...keys);
  const consume = asObject(subscription.consume);
  if (!consume) return undefined;
  const amount = consume.amount;
  if (typeof amount === 'number' && amount < 1) ctx.error('SW307', at('consume', 'amount'), 'amount must be at least 1');
  const filter = runtimeExpression(ctx, subscription.filter, at('filter'), scope);
  const whileCondition = runtimeExpression(ctx, consume.while, at('consume', 'while'), scope);
  const until = runtimeExpression(ctx, consume.until, at('consume', 'until'), scope);
  const forMs = staticMs(ctx, consume.for, at('consume', 'for'));
  const foreach = iteratorOf(site, asObject(subscription.foreach), at('foreach'));
  return {
    ...(filter ? { filter } : {}),
    ...(typeof amount === 'number' ? { amount } : {}),
    ...(whileCondition ? { while: whileCondition } : {}),
    ...(until ? { until } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
    ...(foreach ? { foreach } : {}),
  };
}

function iteratorOf(site: TaskSite, iterator: Record<string, unknown> | undefined, pointer: string): SubscriptionIterator | undefined {
  if (!iterator) return undefined;
  const { ctx, scope } = site;
  const item = variableName(ctx, iterator.item, 'item', joinPointer(pointer, 'item'));
  const at = variableName(ctx, iterator.at, 'index', joinPointer(pointer, 'at'));
  const inner = extendScope(scope, item, at);
  return {
    item,
    at,
    do: iterator.do === undefined ? [] : compileTaskList(ctx, iterator.do, joinPointer(pointer, 'do'), inner, site.siblings),
    output: dataOut(ctx, iterator.output, joinPointer(pointer, 'output'), atSite(inner, 'taskOutput')),
    export: dataExport(ctx, iterator.export, joinPointer(pointer, 'export'), atSite(inner, 'taskExport')),
  };
}
