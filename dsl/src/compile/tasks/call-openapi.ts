/** `call: openapi`: an operation of an OpenAPI 3.x or Swagger 2.0 document, called by the runner. */
import { joinPointer } from '../../parse/pointer.ts';
import type { HttpOutputFormat, OpenApiCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import { OUTPUT_FORMATS } from './call-http.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';

export function openApiCall(site: TaskSite, base: TaskBaseFields): OpenApiCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return undefined;
  const at = (key: string) => joinPointer(pointer, 'with', key);
  // The policy may read $secrets: the activity evaluates it, so nothing of it enters history.
  const authentication = ctx.allowingSecrets(() => endpointAuthentication(ctx, args.authentication, at('authentication'), scope));
  const document = externalResource(site, args.document, at('document'), 'an OpenAPI document');
  const documentAuthentication = externalResourceAuthentication(site, args.document, at('document'));
  const operationId = asString(args.operationId);
  if (!document || operationId === undefined) return undefined;
  if (operationId.trim() === '') {
    ctx.error('SW307', at('operationId'), 'operationId must name an operation of the document');
    return undefined;
  }
  const output = asString(args.output) ?? 'content';
  return {
    ...base,
    kind: 'call.openapi',
    document,
    operationId,
    ...(args.parameters !== undefined ? { parameters: template(ctx, args.parameters, at('parameters'), scope) } : {}),
    outputFormat: (OUTPUT_FORMATS as readonly string[]).includes(output) ? (output as HttpOutputFormat) : 'content',
    redirect: asBoolean(args.redirect) ?? false,
    ...(authentication ? { authentication } : {}),
    ...(documentAuthentication ? { documentAuthentication } : {}),
  };
}
