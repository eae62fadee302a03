/** `call: http`: method, endpoint, headers, query, body; the fields that read `$secrets` are left to the activity. */
import type { HttpCallTask, HttpOutputFormat, HttpSecretField, Template } from '../../plan.ts';
import { readsSecrets, template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import { endpointTemplate } from './endpoint-template.ts';
import { endpointAuthentication } from '../authentication.ts';

export const OUTPUT_FORMATS: readonly HttpOutputFormat[] = ['content', 'response', 'raw'];
const SECRET_FIELDS: readonly HttpSecretField[] = ['endpoint', 'headers', 'query', 'body'];

export function httpCall(site: TaskSite, base: TaskBaseFields): HttpCallTask {
  const { ctx } = site;
  const args = asObject(site.body.with)!;
  const authentication = endpointAuthentication(ctx, asObject(args.endpoint)?.authentication);
  const endpoint = endpointTemplate(ctx, args.endpoint);
  const fields: { -readonly [K in HttpSecretField]?: Template } = { endpoint };
  for (const key of ['headers', 'query', 'body'] as const) {
    if (args[key] !== undefined) fields[key] = template(ctx, args[key]);
  }
  const secretFields = SECRET_FIELDS.filter((key) => fields[key] !== undefined && readsSecrets(ctx, fields[key]));
  const output = asString(args.output) ?? 'content';
  return {
    ...base,
    kind: 'call.http',
    method: String(args.method).toUpperCase(),
    endpoint,
    ...fields,
    outputFormat: (OUTPUT_FORMATS as readonly string[]).includes(output) ? (output as HttpOutputFormat) : 'content',
    redirect: asBoolean(args.redirect) ?? false,
    ...(secretFields.length > 0 ? { secretFields } : {}),
    ...(authentication ? { authentication } : {}),
  };
}
