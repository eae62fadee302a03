/** `call`: each call kind's rules, a `use.functions` function, a cataloged function; what Baton cannot call yet is refused here. */
import { CALL_PROTOCOLS, CATALOG_FUNCTION, isCallProtocol } from '../../document/call-target.ts';
import type { CallProtocol } from '../../document/call-target.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { didYouMean } from '../../document/suggest.ts';
import type { TaskRules } from '../task-site.ts';
import { asString } from '../../document/values.ts';
import { checkActivityCall } from './call-activity.ts';
import { checkCatalogFunctionCall, checkUrlFunctionCall } from './call-catalog-function.ts';
import { URL_FUNCTION } from '../../document/url-function.ts';
import { checkFunctionCall } from './call-function.ts';
import { checkAsyncApiCall } from './call-asyncapi.ts';
import { checkGrpcCall } from './call-grpc.ts';
import { checkHttpCall } from './call-http.ts';
import { checkMcpCall } from './call-mcp.ts';
import { checkOpenApiCall } from './call-openapi.ts';

const UNSUPPORTED_PROTOCOLS = new Set(['a2a']);
const RULES: Readonly<Record<CallProtocol, TaskRules>> = {
  http: checkHttpCall,
  openapi: checkOpenApiCall,
  grpc: checkGrpcCall,
  asyncapi: checkAsyncApiCall,
  mcp: checkMcpCall,
  activity: checkActivityCall,
};

export const checkCallTask: TaskRules = (site) => {
  const { ctx, pointer } = site;
  const call = asString(site.body.call);
  if (call === undefined) return;
  const callPointer = joinPointer(pointer, 'call');
  if (isCallProtocol(call)) {
    RULES[call](site);
    return;
  }
  if (UNSUPPORTED_PROTOCOLS.has(call)) {
    ctx.error('SW500', callPointer, `\`call: ${call}\` is not supported yet; Baton calls ${CALL_PROTOCOLS.join(', ')} and runs workflows (\`run: workflow\`)`);
    return;
  }
  if (Object.hasOwn(ctx.components.functions, call)) {
    checkFunctionCall(site, call);
    return;
  }
  const cataloged = CATALOG_FUNCTION.exec(call);
  if (cataloged) {
    checkCatalogFunctionCall(site, cataloged[1]!, cataloged[2]!, cataloged[3]!);
    return;
  }
  if (URL_FUNCTION.test(call)) {
    checkUrlFunctionCall(site, call);
    return;
  }
  if (call.includes('@')) {
    ctx.error('SW307', callPointer, `'${call}' names no function: a cataloged function is name:version@catalog, one named by URL an http or https address`);
    return;
  }
  ctx.error('SW304', callPointer, `no function named '${call}' in use.functions`, {
    hint: didYouMean(call, [...Object.keys(ctx.components.functions), ...CALL_PROTOCOLS]) ?? `Baton calls ${CALL_PROTOCOLS.join(', ')}`,
  });
};
