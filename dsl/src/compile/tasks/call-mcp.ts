/**
 * `call: mcp` (DSL 1.0.3): one method of an MCP server reached over streamable HTTP or a process
 * speaking on its standard streams. Whether this runner may start that process is its operator's
 * decision, checked when the execution is asked for (the runner's run policy), not here.
 */
import { joinPointer } from '../../parse/pointer.ts';
import type { McpCallTask, McpMethod, McpTransport } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { endpointAuthentication } from '../authentication.ts';
import { staticMs } from '../durations.ts';
import { endpointTemplate } from './endpoint-template.ts';

/** The protocol versions the runner's MCP client speaks (the SDK's list, checked by a runner test). */
export const MCP_PROTOCOL_VERSIONS: readonly string[] = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];
/** The spec's default for `with.protocolVersion`. */
export const DEFAULT_MCP_PROTOCOL_VERSION = '2025-06-18';

export function mcpCall(site: TaskSite, base: TaskBaseFields): McpCallTask | undefined {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return undefined;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  const protocolVersion = asString(args.protocolVersion) ?? DEFAULT_MCP_PROTOCOL_VERSION;
  if (!MCP_PROTOCOL_VERSIONS.includes(protocolVersion)) {
    ctx.error('SW501', at('protocolVersion'), `MCP protocol version '${protocolVersion}' is not one Baton speaks`, { hint: `one of ${MCP_PROTOCOL_VERSIONS.join(', ')}` });
  }
  const transportObject = asObject(args.transport);
  const options = asObject(transportObject?.options);
  if (options && Object.keys(options).length > 0) {
    // The spec gives these strings no meaning; refused rather than silently ignored.
    ctx.error('SW501', at('transport', 'options'), 'MCP transport options are not supported yet', { atKey: true });
  }
  const http = asObject(transportObject?.http);
  const stdio = asObject(transportObject?.stdio);
  // The endpoint's policy may read $secrets: the activity evaluates it, so nothing of it enters history.
  const authentication = http ? ctx.allowingSecrets(() => endpointAuthentication(ctx, asObject(http.endpoint)?.authentication, at('transport', 'http', 'endpoint', 'authentication'), scope)) : undefined;
  if (authentication?.scheme === 'digest') {
    ctx.error('SW501', at('transport', 'http', 'endpoint', 'authentication', 'digest'), 'digest authentication answers one request\'s challenge; an MCP session sends many: not supported on `call: mcp`');
  }
  let transport: McpTransport | undefined;
  if (http) {
    const endpoint = endpointTemplate(site, http.endpoint, at('transport', 'http', 'endpoint'));
    if (endpoint) transport = { kind: 'http', endpoint, ...(http.headers !== undefined ? { headers: template(ctx, http.headers, at('transport', 'http', 'headers'), scope) } : {}) };
  } else if (stdio && typeof stdio.command === 'string') {
    transport = {
      kind: 'stdio',
      command: template(ctx, stdio.command, at('transport', 'stdio', 'command'), scope),
      ...(stdio.arguments !== undefined ? { arguments: template(ctx, stdio.arguments, at('transport', 'stdio', 'arguments'), scope) } : {}),
      ...(stdio.environment !== undefined ? { environment: template(ctx, stdio.environment, at('transport', 'stdio', 'environment'), scope) } : {}),
    };
  }
  const client = asObject(args.client);
  const clientName = asString(client?.name);
  const clientVersion = asString(client?.version);
  const requestTimeoutMs = staticMs(ctx, args.timeout, at('timeout'));
  const method = asString(args.method) as McpMethod | undefined;
  if (!transport || method === undefined) return undefined;
  return {
    ...base,
    kind: 'call.mcp',
    method,
    protocolVersion,
    ...(args.parameters !== undefined ? { parameters: template(ctx, args.parameters, at('parameters'), scope) } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    transport,
    ...(clientName !== undefined && clientVersion !== undefined ? { client: { name: clientName, version: clientVersion } } : {}),
    ...(authentication ? { authentication } : {}),
  };
}
