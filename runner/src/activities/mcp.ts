/**
 * The `call: mcp` activity: one session per attempt with the official SDK client — handshake at
 * the task's protocol version, the one method, then the session closed. Over streamable HTTP every
 * request goes through the egress policy, with the endpoint's authentication as the
 * `Authorization` header. Over stdio the server is a process of the activity's own: only a program
 * the operator allows (`--call-mcp-commands`), started in a fresh folder with a minimal
 * environment, and stopped with its whole process group when the call ends, fails, is cancelled or
 * times out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import runnerPackage from '../../package.json' with { type: 'json' };
import { createEgressClient, PUBLIC_ONLY, systemResolver } from '../egress/index.ts';
import type { EgressPolicy, Resolver } from '../egress/index.ts';
import type { McpActivities, McpCallRequest } from '../contract/index.ts';
import { activityContext, callFailure, withHeartbeats } from './call-policy.ts';
import { collectCredentials, redactDeep, redactFailure } from './call-redaction.ts';
import type { CallCredentials } from './call-redaction.ts';
import { createAuthenticator } from './auth/index.ts';
import type { Authenticator } from './auth/index.ts';
import { NO_SECRETS } from './http/secrets.ts';
import type { SecretValues } from './http/secrets.ts';
import { processEnvironment } from './run/activity-process.ts';
import { checkMcpCommand, RUN_NOTHING } from './run/policy.ts';
import type { RunPolicy } from './run/policy.ts';
import { egressFetch } from './mcp/egress-fetch.ts';
import { mcpFailure, toolFailure } from './mcp/failures.ts';
import { PinnedVersionTransport } from './mcp/pinned-version.ts';
import { ProcessTransport } from './mcp/process-transport.ts';

/** Answers beyond this are refused rather than pushed into workflow history. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** Each request's limit when the task sets no `with.timeout` (the SDK's own default). */
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface McpActivityOptions {
  /** Where HTTP servers may be; public addresses only by default. */
  readonly egress?: EgressPolicy;
  readonly resolver?: Resolver;
  /** For the endpoint's authentication policy. */
  readonly secrets?: SecretValues;
  /** The runner's authenticator, whose token cache every call kind shares; one of its own otherwise. */
  readonly authenticator?: Authenticator;
  /** Which programs may be started as stdio servers (`mcpCommands`); none by default. */
  readonly run?: RunPolicy;
}

export function createMcpActivities(options: McpActivityOptions = {}): McpActivities {
  const client = createEgressClient(options.egress ?? PUBLIC_ONLY, options.resolver ?? systemResolver);
  const authenticator = options.authenticator ?? createAuthenticator({ secrets: options.secrets ?? NO_SECRETS, client });
  const run = options.run ?? RUN_NOTHING;
  const fetch = egressFetch(client, MAX_RESPONSE_BYTES);
  return {
    async mcpCall(request: McpCallRequest): Promise<unknown> {
      const credentials = collectCredentials();
      try {
        const output = await withHeartbeats((signal) =>
          request.transport.kind === 'stdio' ? overStdio(request, run, signal) : overHttp(request, fetch, authenticator, credentials, signal),
        );
        return request.authentication ? redactDeep(output, credentials.redact) : output;
      } catch (error) {
        if (!request.authentication || activityContext()?.cancellationSignal.aborted) throw error;
        throw redactFailure(error, credentials.redact);
      }
    },
  };
}

/** Public addresses only, no stdio servers. */
export const { mcpCall } = createMcpActivities();

async function overHttp(request: McpCallRequest, fetch: ReturnType<typeof egressFetch>, authenticator: Authenticator, credentials: CallCredentials, signal: AbortSignal | undefined): Promise<unknown> {
  if (request.transport.kind !== 'http') throw new Error('not an HTTP transport');
  const { endpoint } = request.transport;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw callFailure({ kind: 'configuration', status: 400, title: 'Invalid endpoint', detail: `'${endpoint}' is not an absolute http or https URI`, instance: request.taskReference });
  }
  const headers: Record<string, string> = { ...request.transport.headers };
  if (request.authentication) {
    const authorization = await authenticator.authorize(request.authentication, request.taskReference, {
      ...(signal ? { signal } : {}),
      onCredentials: (values) => credentials.values.push(...values),
    });
    credentials.values.push(...authorization.secrets);
    if (authorization.header !== undefined) headers.authorization = authorization.header;
  }
  const transport = new StreamableHTTPClientTransport(url, { fetch, requestInit: { headers } });
  return session(request, transport, `${url.origin}${url.pathname}`, signal, async () => {
    // Ends the server's session (DELETE) rather than leaving it to expire.
    if (transport.sessionId !== undefined) await transport.terminateSession().catch(() => undefined);
  });
}

async function overStdio(request: McpCallRequest, policy: RunPolicy, signal: AbortSignal | undefined): Promise<unknown> {
  if (request.transport.kind !== 'stdio') throw new Error('not a stdio transport');
  const { command, arguments: args, environment } = request.transport;
  const refusal = checkMcpCommand(policy, command);
  if (refusal) throw callFailure({ kind: 'configuration', status: 403, title: 'Refused by the run policy', detail: refusal.message, instance: request.taskReference });
  const workdir = await mkdtemp(join(tmpdir(), 'baton-mcp-'));
  const transport = new ProcessTransport({ file: command, args, env: processEnvironment(workdir, environment), cwd: workdir });
  try {
    return await session(request, transport, `server '${command}'`, signal, async () => undefined, () => transport.stderr);
  } finally {
    await transport.close();
    await rm(workdir, { recursive: true, force: true }).catch(() => undefined);
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
