/** `call: grpc`: one unary method of a service described by a `.proto` file, called by the runner. */
import { joinPointer } from '../../parse/pointer.ts';
import type { GrpcCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';

export function grpcCall(site: TaskSite, base: TaskBaseFields): GrpcCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return undefined;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  const service = asObject(args.service);
  // The policy may read $secrets: the activity evaluates it, so nothing of it enters history.
  const authentication = ctx.allowingSecrets(() => endpointAuthentication(ctx, service?.authentication, at('service', 'authentication'), scope));
  if (authentication?.scheme === 'digest') {
    ctx.error('SW501', at('service', 'authentication', 'digest'), 'digest authentication answers an HTTP challenge, which a gRPC call never sees: not supported on `call: grpc`');
  }
  const proto = externalResource(site, args.proto, at('proto'), 'a .proto file');
  const protoAuthentication = externalResourceAuthentication(site, args.proto, at('proto'));
  const name = asString(service?.name);
  const method = asString(args.method);
  if (!proto || !service || name === undefined || method === undefined || service.host === undefined) return undefined;
  return {
    ...base,
    kind: 'call.grpc',
    proto,
    service: name,
    host: template(ctx, service.host, at('service', 'host'), scope),
    ...(service.port !== undefined ? { port: template(ctx, service.port, at('service', 'port'), scope) } : {}),
    method,
    ...(args.arguments !== undefined ? { arguments: template(ctx, args.arguments, at('arguments'), scope) } : {}),
    ...(authentication ? { authentication } : {}),
    ...(protoAuthentication ? { protoAuthentication } : {}),
  };
}
