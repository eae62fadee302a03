import { joinPointer } from '../../parse/pointer.ts';
import type { HttpCallTask, HttpOutputFormat, HttpSecretField, Template } from '../../plan.ts';
import { isStrictExpression, readsSecrets, template } from '../expressions.ts';
import { didYouMean } from '../../document/suggest.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import type { TaskBaseFields } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import { unreachableEndpoint } from './endpoint-reach.ts';
import { endpointAuthentication } from '../authentication.ts';

const UNSUPPORTED_PROTOCOLS = new Set(['grpc', 'openapi', 'asyncapi', 'a2a', 'mcp']);
const OUTPUT_FORMATS: readonly HttpOutputFormat[] = ['content', 'response', 'raw'];
const SECRET_FIELDS: readonly HttpSecretField[] = ['endpoint', 'headers', 'query', 'body'];

export const callTask: TaskCompiler = (site, base) => {
  const { ctx, pointer } = site;
  const call = asString(site.body.call);
  if (call === undefined) return undefined;
  const callPointer = joinPointer(pointer, 'call');
  if (call === 'http') return httpCall(site, base);
  if (UNSUPPORTED_PROTOCOLS.has(call)) {
    ctx.error('SW500', callPointer, `\`call: ${call}\` is not supported yet; Baton calls HTTP endpoints (\`call: http\`) and runs workflows (\`run: workflow\`)`);
    return undefined;
  }
  if (Object.hasOwn(ctx.components.functions, call)) {
    ctx.error('SW500', callPointer, `calling the function '${call}' from use.functions is not supported yet`, { hint: 'inline the task it defines' });
    return undefined;
  }
  if (call.includes('@')) {
    ctx.error('SW501', callPointer, `functions from catalogs ('${call}') are not supported yet`);
    return undefined;
  }
  ctx.error('SW304', callPointer, `no function named '${call}' in use.functions`, {
    hint: didYouMean(call, [...Object.keys(ctx.components.functions), 'http']) ?? 'Baton supports `call: http`',
  });
  return undefined;
};

function httpCall(site: TaskSite, base: TaskBaseFields): HttpCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return undefined;
  const at = (key: string) => joinPointer(pointer, 'with', key);
  const method = asString(args.method);
  // These four fields are evaluated by the HTTP activity when they read $secrets, never in history.
  return ctx.allowingSecrets(() => {
    const authentication = endpointAuthentication(ctx, asObject(args.endpoint)?.authentication, joinPointer(at('endpoint'), 'authentication'), scope);
    const endpoint = endpointTemplate(site, args.endpoint, at('endpoint'));
    if (method === undefined || !endpoint) return undefined;
    const fields: { -readonly [K in HttpSecretField]?: Template } = { endpoint };
    for (const key of ['headers', 'query', 'body'] as const) {
      if (args[key] !== undefined) fields[key] = template(ctx, args[key], at(key), scope);
    }
    const secretFields = SECRET_FIELDS.filter((key) => fields[key] !== undefined && readsSecrets(ctx, fields[key]));
    const output = asString(args.output) ?? 'content';
    return {
      ...base,
      kind: 'call.http',
      method: method.toUpperCase(),
      endpoint,
      ...fields,
      outputFormat: (OUTPUT_FORMATS as readonly string[]).includes(output) ? (output as HttpOutputFormat) : 'content',
      redirect: asBoolean(args.redirect) ?? false,
      ...(secretFields.length > 0 ? { secretFields } : {}),
      ...(authentication ? { authentication } : {}),
    };
  });
}

/** A URI template string, a `${ }` expression, or `{ uri, authentication }` (its authentication compiled apart). */
function endpointTemplate(site: TaskSite, value: unknown, pointer: string): Template | undefined {
  const { ctx, scope } = site;
  if (typeof value === 'string') {
    if (isStrictExpression(value)) return template(ctx, value, pointer, scope);
    const unreachable = unreachableEndpoint(value);
    if (unreachable) ctx.error('SW307', pointer, unreachable);
    return { kind: 'literal', value };
  }
  const object = asObject(value);
  if (!object) return undefined;
  return typeof object.uri === 'string' ? endpointTemplate(site, object.uri, joinPointer(pointer, 'uri')) : undefined;
}
