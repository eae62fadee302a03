/** `call: grpc`: the policy must be one a gRPC call can apply; the `.proto` file must be readable. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { checkExternalResource, checkExternalResourceAuthentication } from './external-resource.ts';
import { checkEndpointAuthentication } from '../authentication.ts';

export function checkGrpcCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  const service = asObject(args.service);
  const authentication = checkEndpointAuthentication(ctx, service?.authentication, at('service', 'authentication'), scope);
  if (authentication?.scheme === 'digest') {
    ctx.error('SW501', at('service', 'authentication', 'digest'), 'digest authentication answers an HTTP challenge, which a gRPC call never sees: not supported on `call: grpc`');
  }
  checkExternalResource(site, args.proto, at('proto'), 'a .proto file');
  checkExternalResourceAuthentication(site, args.proto, at('proto'));
  if (service?.host !== undefined) checkTemplate(ctx, service.host, at('service', 'host'), scope);
  if (service?.port !== undefined) checkTemplate(ctx, service.port, at('service', 'port'), scope);
  if (args.arguments !== undefined) checkTemplate(ctx, args.arguments, at('arguments'), scope);
}
