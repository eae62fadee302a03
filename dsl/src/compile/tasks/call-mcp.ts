/**
 * `call: mcp` (DSL 1.0.3): one method of an MCP server reached over streamable HTTP or a process
 * speaking on its standard streams. Whether this runner may start that process is its operator's
 * decision, checked when the execution is asked for (the runner's run policy), not here.
 */
import { DEFAULT_MCP_PROTOCOL_VERSION } from '../../document/mcp.ts';
import type { McpCallTask, McpMethod, McpTransport } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { endpointAuthentication } from '../authentication.ts';
import { staticMs } from '../durations.ts';
import { endpointTemplate } from './endpoint-template.ts';

export function mcpCall(site: TaskSite, base: TaskBaseFields): McpCallTask {
  const { ctx } = site;
  const args = asObject(site.body.with)!;
  const transportObject = asObject(args.transport)!;
  const http = asObject(transportObject.http);
  const stdio = asObject(transportObject.stdio);
  const authentication = http ? endpointAuthentication(ctx, asObject(http.endpoint)?.authentication) : undefined;
  const field = (object: Readonly<Record<string, unknown>>, key: string) => (object[key] !== undefined ? { [key]: template(ctx, object[key]) } : {});
  const transport: McpTransport = http
    ? { kind: 'http', endpoint: endpointTemplate(ctx, http.endpoint), ...field(http, 'headers') }
    : { kind: 'stdio', command: template(ctx, stdio!.command), ...field(stdio!, 'arguments'), ...field(stdio!, 'environment') };
  const client = asObject(args.client);
  const clientName = asString(client?.name);
  const clientVersion = asString(client?.version);
  const requestTimeoutMs = staticMs(args.timeout);
  return {
    ...base,
    kind: 'call.mcp',
    method: String(args.method) as McpMethod,
    protocolVersion: asString(args.protocolVersion) ?? DEFAULT_MCP_PROTOCOL_VERSION,
    ...(args.parameters !== undefined ? { parameters: template(ctx, args.parameters) } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    transport,
    ...(clientName !== undefined && clientVersion !== undefined ? { client: { name: clientName, version: clientVersion } } : {}),
    ...(authentication ? { authentication } : {}),
  };
}
