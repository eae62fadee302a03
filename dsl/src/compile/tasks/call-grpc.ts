/** `call: grpc`: one unary method of a service described by a `.proto` file, called by the runner. */
import type { GrpcCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';

export function grpcCall(site: TaskSite, base: TaskBaseFields): GrpcCallTask {
  const { ctx } = site;
  const args = asObject(site.body.with)!;
  const service = asObject(args.service)!;
  const authentication = endpointAuthentication(ctx, service.authentication);
  const protoAuthentication = externalResourceAuthentication(ctx, args.proto);
  return {
    ...base,
    kind: 'call.grpc',
    proto: externalResource(ctx, args.proto),
    service: String(service.name),
    host: template(ctx, service.host),
    ...(service.port !== undefined ? { port: template(ctx, service.port) } : {}),
    method: String(args.method),
    ...(args.arguments !== undefined ? { arguments: template(ctx, args.arguments) } : {}),
    ...(authentication ? { authentication } : {}),
    ...(protoAuthentication ? { protoAuthentication } : {}),
  };
}
