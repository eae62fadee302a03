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

/** Answers beyond this are refused rather than pushed into workflow history. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/**
 * The MCP SDK and everything using it, loaded on the first MCP call: most runners never make one,
 * and loading it cost every runner process about 8 MiB and 0.4 s at start.
 */
let sdk: Promise<typeof import('./mcp/session.ts')> | undefined;
const loadSession = () => (sdk ??= import('./mcp/session.ts'));

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
  const { overHttpTransport } = await loadSession();
  return overHttpTransport(request, url, fetch, headers, signal);
}

async function overStdio(request: McpCallRequest, policy: RunPolicy, signal: AbortSignal | undefined): Promise<unknown> {
  if (request.transport.kind !== 'stdio') throw new Error('not a stdio transport');
  const { command, arguments: args, environment } = request.transport;
  const refusal = checkMcpCommand(policy, command);
  if (refusal) throw callFailure({ kind: 'configuration', status: 403, title: 'Refused by the run policy', detail: refusal.message, instance: request.taskReference });
  const { overProcessTransport } = await loadSession();
  const workdir = await mkdtemp(join(tmpdir(), 'baton-mcp-'));
  try {
    return await overProcessTransport(request, { file: command, args, env: processEnvironment(workdir, environment), cwd: workdir }, signal);
  } finally {
    await rm(workdir, { recursive: true, force: true }).catch(() => undefined);
  }
}
