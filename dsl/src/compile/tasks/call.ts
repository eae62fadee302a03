/** `call`: dispatches to the file of each call kind, a `use.functions` function or a cataloged function. */
import { CATALOG_FUNCTION, isCallProtocol } from '../../document/call-target.ts';
import type { CallProtocol } from '../../document/call-target.ts';
import type { TaskCompiler } from '../task-site.ts';
import { activityCall } from './call-activity.ts';
import { catalogFunctionCall, urlFunctionCall } from './call-catalog-function.ts';
import { URL_FUNCTION } from '../../document/url-function.ts';
import { functionCall } from './call-function.ts';
import { asyncApiCall } from './call-asyncapi.ts';
import { grpcCall } from './call-grpc.ts';
import { httpCall } from './call-http.ts';
import { mcpCall } from './call-mcp.ts';
import { openApiCall } from './call-openapi.ts';

const CALLS: Readonly<Record<CallProtocol, TaskCompiler>> = { http: httpCall, openapi: openApiCall, grpc: grpcCall, asyncapi: asyncApiCall, mcp: mcpCall, activity: activityCall };

export const callTask: TaskCompiler = (site, base) => {
  const call = String(site.body.call);
  if (isCallProtocol(call)) return CALLS[call](site, base);
  if (Object.hasOwn(site.ctx.components.functions, call)) return functionCall(site, base, call);
  if (URL_FUNCTION.test(call)) return urlFunctionCall(site, base, call);
  const [, name, version, catalog] = CATALOG_FUNCTION.exec(call)!;
  return catalogFunctionCall(site, base, name!, version!, catalog!);
};
