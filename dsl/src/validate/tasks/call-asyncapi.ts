/**
 * `call: asyncapi`: what the runner cannot do is refused here, at its position: another protocol
 * than MQTT, authentication other than basic (the broker's username and password).
 */
import { ASYNCAPI_PROTOCOLS } from '../../document/asyncapi.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { atSite, checkRuntimeExpression, checkTemplate, extendScope } from '../expressions.ts';
import { checkDataOut } from '../data.ts';
import { checkTaskList } from '../task-list.ts';
import { checkVariableName } from '../variable-name.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { checkExternalResource, checkExternalResourceAuthentication } from './external-resource.ts';
import { checkEndpointAuthentication } from '../authentication.ts';
import { checkStaticDuration } from '../durations.ts';

export function checkAsyncApiCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  const authentication = checkEndpointAuthentication(ctx, args.authentication, at('authentication'), scope);
  if (authentication && authentication.scheme !== 'basic') {
    ctx.error('SW501', at('authentication', ...(authentication.name === undefined ? [authentication.scheme] : ['use'])), `${authentication.scheme} authentication is not supported on \`call: asyncapi\`: an MQTT broker takes a username and password (basic)`);
  }
  const protocol = asString(args.protocol);
  if (protocol !== undefined && !(ASYNCAPI_PROTOCOLS as readonly string[]).includes(protocol)) {
    ctx.error('SW501', at('protocol'), `the ${protocol} protocol is not supported yet; \`call: asyncapi\` speaks ${ASYNCAPI_PROTOCOLS.join(', ')}`);
  }
  checkExternalResource(site, args.document, at('document'), 'an AsyncAPI document');
  checkExternalResourceAuthentication(site, args.document, at('document'));
  for (const key of ['operation', 'channel']) {
    if (asString(args[key])?.trim() === '') ctx.error('SW307', at(key), `${key} must name one of the document's ${key}s`);
  }
  const server = asObject(args.server);
  if (typeof server?.name === 'string' && server.variables !== undefined) checkTemplate(ctx, server.variables, at('server', 'variables'), scope);
  const message = asObject(args.message);
  for (const key of ['payload', 'headers']) {
    if (message?.[key] !== undefined) checkTemplate(ctx, message[key], at('message', key), scope);
  }
  checkSubscription(site, asObject(args.subscription), at('subscription'));
}

function checkSubscription(site: TaskSite, subscription: Readonly<Record<string, unknown>> | undefined, pointer: string): void {
  if (!subscription) return;
  const { ctx, scope } = site;
  const at = (...keys: string[]) => joinPointer(pointer, ...keys);
  const consume = asObject(subscription.consume);
  if (!consume) return;
  if (typeof consume.amount === 'number' && consume.amount < 1) ctx.error('SW307', at('consume', 'amount'), 'amount must be at least 1');
  checkRuntimeExpression(ctx, subscription.filter, at('filter'), scope);
  checkRuntimeExpression(ctx, consume.while, at('consume', 'while'), scope);
  checkRuntimeExpression(ctx, consume.until, at('consume', 'until'), scope);
  checkStaticDuration(ctx, consume.for, at('consume', 'for'));
  const foreach = asObject(subscription.foreach);
  if (!foreach) return;
  const item = checkVariableName(ctx, foreach.item, 'item', at('foreach', 'item'));
  const index = checkVariableName(ctx, foreach.at, 'index', at('foreach', 'at'));
  const inner = extendScope(scope, item, index);
  if (foreach.do !== undefined) checkTaskList(ctx, foreach.do, at('foreach', 'do'), inner, site.siblings);
  checkDataOut(ctx, foreach.output, at('foreach', 'output'), atSite(inner, 'taskOutput'));
  checkDataOut(ctx, foreach.export, at('foreach', 'export'), atSite(inner, 'taskExport'));
}
