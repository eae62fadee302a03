/** `call: mcp` (DSL 1.0.3): a protocol version Baton speaks, no transport options, a policy an MCP session can apply. */
import { DEFAULT_MCP_PROTOCOL_VERSION, MCP_PROTOCOL_VERSIONS } from '../../document/mcp.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import { checkEndpointAuthentication } from '../authentication.ts';
import { checkStaticDuration } from '../durations.ts';
import { checkEndpointTemplate } from './endpoint-template.ts';

export function checkMcpCall(site: TaskSite): void {
  const { ctx, pointer, scope } = site;
  const args = asObject(site.body.with);
  if (!args) return;
  const at = (...keys: string[]) => joinPointer(pointer, 'with', ...keys);
  const protocolVersion = asString(args.protocolVersion) ?? DEFAULT_MCP_PROTOCOL_VERSION;
  if (!MCP_PROTOCOL_VERSIONS.includes(protocolVersion)) {
    ctx.error('SW501', at('protocolVersion'), `MCP protocol version '${protocolVersion}' is not one Baton speaks`, { hint: `one of ${MCP_PROTOCOL_VERSIONS.join(', ')}` });
  }
  const transport = asObject(args.transport);
  const options = asObject(transport?.options);
  if (options && Object.keys(options).length > 0) {
    // The spec gives these strings no meaning; refused rather than silently ignored.
    ctx.error('SW501', at('transport', 'options'), 'MCP transport options are not supported yet', { atKey: true });
  }
  const http = asObject(transport?.http);
  const stdio = asObject(transport?.stdio);
  if (http) {
    const authentication = checkEndpointAuthentication(ctx, asObject(http.endpoint)?.authentication, at('transport', 'http', 'endpoint', 'authentication'), scope);
    if (authentication?.scheme === 'digest') {
      ctx.error('SW501', at('transport', 'http', 'endpoint', 'authentication', 'digest'), 'digest authentication answers one request\'s challenge; an MCP session sends many: not supported on `call: mcp`');
    }
    checkEndpointTemplate(site, http.endpoint, at('transport', 'http', 'endpoint'));
    if (http.headers !== undefined) checkTemplate(ctx, http.headers, at('transport', 'http', 'headers'), scope);
  } else if (stdio && typeof stdio.command === 'string') {
    for (const key of ['command', 'arguments', 'environment']) {
      if (stdio[key] !== undefined) checkTemplate(ctx, stdio[key], at('transport', 'stdio', key), scope);
    }
  }
  checkStaticDuration(ctx, args.timeout, at('timeout'));
  if (args.parameters !== undefined) checkTemplate(ctx, args.parameters, at('parameters'), scope);
}
