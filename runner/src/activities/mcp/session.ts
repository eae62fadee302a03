/**
 * One MCP session with the official SDK client over a transport: handshake at the task's protocol
 * version, the one method, then the session closed. Loaded by the `call: mcp` activity on its
 * first call (activities/mcp.ts), so a runner that makes none never loads the SDK.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import runnerPackage from '../../../package.json' with { type: 'json' };
import type { McpCallRequest } from '../../contract/index.ts';
import { callFailure } from '../call-policy.ts';
import type { egressFetch } from './egress-fetch.ts';
import { mcpFailure, toolFailure } from './failures.ts';
import { PinnedVersionTransport } from './pinned-version.ts';
import { ProcessTransport } from './process-transport.ts';
import type { ServerProcess } from './process-transport.ts';

/** Each request's limit when the task sets no `with.timeout` (the SDK's own default). */
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** A session over streamable HTTP; the server's session is ended (DELETE) rather than left to expire. */
export async function overHttpTransport(
  request: McpCallRequest,
  url: URL,
  fetch: ReturnType<typeof egressFetch>,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const transport = new StreamableHTTPClientTransport(url, { fetch, requestInit: { headers } });
  return session(request, transport, `${url.origin}${url.pathname}`, signal, async () => {
    if (transport.sessionId !== undefined) await transport.terminateSession().catch(() => undefined);
  });
}

/** A session with a server process of the activity's own, stopped when the session ends. */
export async function overProcessTransport(request: McpCallRequest, options: ServerProcess, signal: AbortSignal | undefined): Promise<unknown> {
  const transport = new ProcessTransport(options);
  try {
    return await session(request, transport, `server '${options.file}'`, signal, async () => undefined, () => transport.stderr);
  } finally {
    await transport.close();
  }
}

/** Handshake, the one method, and the session closed whatever happened. */
async function session(
  request: McpCallRequest,
  transport: Transport,
  where: string,
  signal: AbortSignal | undefined,
  end: () => Promise<void>,
  stderr: () => string = () => '',
): Promise<unknown> {
  const pinned = new PinnedVersionTransport(transport, request.protocolVersion);
  const mcp = new Client(request.client ?? { name: 'baton', version: runnerPackage.version });
  // The transport's own errors (a stray line on a server's stdout) reach the request as its failure, or are noise.
  mcp.onerror = () => undefined;
  const requestOptions = { timeout: request.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, ...(signal ? { signal } : {}) };
  let connected = false;
  try {
    await mcp.connect(pinned, requestOptions);
    connected = true;
    if (pinned.agreed !== undefined && pinned.agreed !== request.protocolVersion) {
      throw callFailure({ kind: 'configuration', status: 400, title: 'Protocol version refused', detail: `MCP ${where} speaks protocol version ${pinned.agreed}, not ${request.protocolVersion}`, instance: request.taskReference });
    }
    const result = await callMethod(mcp, request, requestOptions);
    if (request.method === 'tools/call' && (result as { isError?: unknown }).isError === true) {
      throw toolFailure(result as { content?: unknown }, String(request.parameters.name), request.taskReference);
    }
    return result;
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT' && !connected) {
      throw callFailure({ kind: 'configuration', status: 404, title: 'MCP server did not start', detail: `MCP ${where}: no such program`, instance: request.taskReference });
    }
    throw mcpFailure(error, where, request.taskReference, stderr());
  } finally {
    if (connected) await end();
    await mcp.close().catch(() => undefined);
  }
}

type RequestOptions = { readonly timeout: number; readonly signal?: AbortSignal };

function callMethod(mcp: Client, request: McpCallRequest, options: RequestOptions): Promise<unknown> {
  // The server checks the parameters against its own schema and answers InvalidParams; passed as given.
  const params = request.parameters as never;
  switch (request.method) {
    case 'tools/list':
      return mcp.listTools(params, options);
    case 'tools/call':
      return mcp.callTool(params, undefined, options);
    case 'prompts/list':
      return mcp.listPrompts(params, options);
    case 'prompts/get':
      return mcp.getPrompt(params, options);
    case 'resources/list':
      return mcp.listResources(params, options);
    case 'resources/read':
      return mcp.readResource(params, options);
    case 'resources/templates/list':
      return mcp.listResourceTemplates(params, options);
  }
}
