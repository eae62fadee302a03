/** `call`: dispatches to the file of each call kind or to a `use.functions` function; what Baton cannot call yet is refused here. */
import { joinPointer } from '../../parse/pointer.ts';
import { didYouMean } from '../../document/suggest.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asString } from '../../document/values.ts';
import { activityCall } from './call-activity.ts';
import { catalogFunctionCall, urlFunctionCall } from './call-catalog-function.ts';
import { functionCall } from './call-function.ts';
import { asyncApiCall } from './call-asyncapi.ts';
import { grpcCall } from './call-grpc.ts';
import { httpCall } from './call-http.ts';
import { mcpCall } from './call-mcp.ts';
import { openApiCall } from './call-openapi.ts';

/** `name:version@catalog` (the spec's form for cataloged functions). */
const CATALOG_FUNCTION = /^([A-Za-z0-9][\w.-]*):([\w.+-]+)@([A-Za-z0-9][\w.-]*)$/;
const UNSUPPORTED_PROTOCOLS = new Set(['a2a']);
const CALLS: Readonly<Record<string, TaskCompiler>> = { http: httpCall, openapi: openApiCall, grpc: grpcCall, asyncapi: asyncApiCall, mcp: mcpCall, activity: activityCall };

export const callTask: TaskCompiler = (site, base) => {
  const { ctx, pointer } = site;
  const call = asString(site.body.call);
  if (call === undefined) return undefined;
  const callPointer = joinPointer(pointer, 'call');
  const compile = Object.hasOwn(CALLS, call) ? CALLS[call] : undefined;
  if (compile) return compile(site, base);
  if (UNSUPPORTED_PROTOCOLS.has(call)) {
    ctx.error('SW500', callPointer, `\`call: ${call}\` is not supported yet; Baton calls ${Object.keys(CALLS).join(', ')} and runs workflows (\`run: workflow\`)`);
    return undefined;
  }
  if (Object.hasOwn(ctx.components.functions, call)) return functionCall(site, base, call);
  const cataloged = CATALOG_FUNCTION.exec(call);
  if (cataloged) return catalogFunctionCall(site, base, cataloged[1]!, cataloged[2]!, cataloged[3]!);
  if (/^https?:\/\//i.test(call)) return urlFunctionCall(site, base, call);
  if (call.includes('@')) {
    ctx.error('SW307', callPointer, `'${call}' names no function: a cataloged function is name:version@catalog, one named by URL an http or https address`);
    return undefined;
  }
  ctx.error('SW304', callPointer, `no function named '${call}' in use.functions`, {
    hint: didYouMean(call, [...Object.keys(ctx.components.functions), ...Object.keys(CALLS)]) ?? `Baton calls ${Object.keys(CALLS).join(', ')}`,
  });
  return undefined;
};
