/** `call: openapi`: an operation of an OpenAPI 3.x or Swagger 2.0 document, called by the runner. */
import type { HttpOutputFormat, OpenApiCallTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import { OUTPUT_FORMATS } from './call-http.ts';
import { externalResource, externalResourceAuthentication } from './external-resource.ts';
import { endpointAuthentication } from '../authentication.ts';

export function openApiCall(site: TaskSite, base: TaskBaseFields): OpenApiCallTask {
  const { ctx } = site;
  const args = asObject(site.body.with)!;
  const authentication = endpointAuthentication(ctx, args.authentication);
  const documentAuthentication = externalResourceAuthentication(ctx, args.document);
  const output = asString(args.output) ?? 'content';
  return {
    ...base,
    kind: 'call.openapi',
    document: externalResource(ctx, args.document),
    operationId: String(args.operationId),
    ...(args.parameters !== undefined ? { parameters: template(ctx, args.parameters) } : {}),
    outputFormat: (OUTPUT_FORMATS as readonly string[]).includes(output) ? (output as HttpOutputFormat) : 'content',
    redirect: asBoolean(args.redirect) ?? false,
    ...(authentication ? { authentication } : {}),
    ...(documentAuthentication ? { documentAuthentication } : {}),
  };
}
