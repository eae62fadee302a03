/** `call: openapi`: the document must be readable and the operation named. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { checkExternalResource, checkExternalResourceAuthentication } from './external-resource.ts';
import { checkEndpointAuthentication } from '../authentication.ts';

export function checkOpenApiCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return;
  const at = (key: string) => joinPointer(pointer, 'with', key);
  checkEndpointAuthentication(ctx, args.authentication, at('authentication'), scope);
  checkExternalResource(site, args.document, at('document'), 'an OpenAPI document');
  checkExternalResourceAuthentication(site, args.document, at('document'));
  if (asString(args.operationId)?.trim() === '') ctx.error('SW307', at('operationId'), 'operationId must name an operation of the document');
  if (args.parameters !== undefined) checkTemplate(ctx, args.parameters, at('parameters'), scope);
}
