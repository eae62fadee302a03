/**
 * `call: mcp` end to end on the real dev server against an MCP server built here with the official
 * SDK: over streamable HTTP (each method, authentication with the credential cut out of history,
 * egress refusals) and over stdio (a process the activity owns, stopped with its whole group when
 * the task times out), and a runner that does not allow stdio refusing it at executeAsync.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { fileURLToPath } from 'node:url';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PROTOCOL_VERSIONS } from '@baton/dsl';
import { createMcpActivities } from '../../src/activities/mcp.ts';
import { RUN_NOTHING } from '../../src/activities/run/index.ts';
import type { McpCallRequest } from '../../src/contract/index.ts';
import { compileYaml, failureOf, LOOPBACK_ALLOWED, startHarness } from '../interpreter/harness.ts';
import type { Harness } from '../interpreter/harness.ts';
import { processesWith } from '../run/support.ts';
import { eventually, startStack, uniqueName } from '../service/support/stack.ts';
import { diagnostics, rejection } from '../service/support/wire.ts';
import { serveMcp } from './mcp-server.ts';

setDefaultTimeout(60_000);

const SERVER_SCRIPT = fileURLToPath(new URL('./mcp-server.ts', import.meta.url));
const TOKEN = 'mcp-sesame-31';
const ERRORS = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const instance = '/do/0/call';

let server: ReturnType<typeof serveMcp>;
let harness: Harness;

beforeAll(async () => {
  server = serveMcp();
  process.env.BATON_TEST_RUNNER_ONLY = 'the runner keeps this to itself';
  harness = await startHarness('mcp', {
    ...createMcpActivities({ egress: LOOPBACK_ALLOWED, secrets: { file: { token: TOKEN }, env: {} }, run: { ...RUN_NOTHING, mcpCommands: [process.execPath] } }),
  });
});

afterAll(async () => {
  await harness?.stop();
  server?.stop();
});

function workflow(withBlock: string, taskExtra = ''): string {
  return `
document: { dsl: 1.0.3, namespace: test, name: mcp, version: 1.0.0, metadata: { activityOptions: { retryPolicy: { maximumAttempts: 1 } } } }
use:
  secrets: [token]
do:
  - call:${taskExtra}
      call: mcp
      with:
${withBlock
  .trim()
  .split('\n')
  .map((line) => `        ${line}`)
  .join('\n')}
`;
}

const http = (method: string, parameters = '{}', endpoint = `'${server.url}'`) => `
method: ${method}
parameters: ${parameters}
transport:
  http:
    endpoint: ${endpoint}`;

const stdio = (method: string, parameters: string, marker: string) => `
method: ${method}
parameters: ${parameters}
transport:
  stdio:
    command: ${process.execPath}
    arguments: ['${SERVER_SCRIPT}', '${marker}']
    environment: { GREETING: hello from the task }`;

const start = (source: string, input: unknown = {}) => harness.start(compileYaml(source, 'mcp.yaml'), input);

describe('call: mcp over streamable HTTP', () => {
  test('tools/call with parameters from expressions answers the tool result', async () => {
    const output = await (await start(workflow(http('tools/call', "{ name: add, arguments: { a: '${ .a }', b: 2 } }")), { a: 40 })).result();
    expect(output).toMatchObject({ content: [{ type: 'text', text: '42' }], structuredContent: { sum: 42 } });
  });

  test('tools/list, resources/read and prompts/get; an older protocol version when asked for', async () => {
    const tools = (await (await start(workflow(http('tools/list')))).result()) as { tools: { name: string }[] };
    expect(tools.tools.map((tool) => tool.name)).toEqual(['add', 'fail', 'whoami', 'env', 'hang']);
    const read = await (await start(workflow(`${http('resources/read', '{ uri: memo://greeting }')}\nprotocolVersion: '2024-11-05'`))).result();
    expect(read).toMatchObject({ contents: [{ uri: 'memo://greeting', text: 'hello from a resource' }] });
    const prompt = await (await start(workflow(http('prompts/get', '{ name: greet, arguments: { name: Ada } }')))).result();
    expect(prompt).toMatchObject({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hello to Ada' } }] });
  });

  test('a tool that fails (isError) raises a runtime error with its text', async () => {
    expect(await failureOf(await start(workflow(http('tools/call', '{ name: fail, arguments: { why: no fuel } }'))))).toMatchObject({
      type: `${ERRORS}runtime`,
      status: 500,
      title: 'Tool error',
      detail: "the tool 'fail' failed: cannot: no fuel",
      instance,
    });
  });

  test('invalid parameters are a validation error; an unreachable server a communication error', async () => {
    const invalid = await failureOf(await start(workflow(http('prompts/get', '{ name: farewell }'))));
    expect(invalid).toMatchObject({ type: `${ERRORS}validation`, status: 400, title: 'Invalid parameters', instance });
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
    const free = closed.port;
    closed.stop(true);
    const unreachable = await failureOf(await start(workflow(http('tools/list', '{}', `'http://127.0.0.1:${free}/mcp'`))));
    expect(unreachable).toMatchObject({ type: `${ERRORS}communication`, status: 503, title: 'MCP server unreachable', instance });
  });

  test('a bearer token from $secrets is sent, cut out of what the server echoes, and never in history', async () => {
    const withAuth = http('tools/call', '{ name: whoami }', `{ uri: '${server.url}', authentication: { bearer: { token: '\${ $secrets.token }' } } }`);
    const handle = await start(workflow(withAuth));
    expect(await handle.result()).toMatchObject({ content: [{ type: 'text', text: 'Bearer ***' }] });
    expect(JSON.stringify(await handle.fetchHistory())).not.toContain(TOKEN);
  });

  test('a refused credential is an authentication error', async () => {
    const refused = http('tools/list', '{}', `{ uri: '${server.url}', authentication: { bearer: { token: wrong } } }`);
    expect(await failureOf(await start(workflow(refused)))).toMatchObject({ type: `${ERRORS}authentication`, status: 401, instance });
  });

  test('loopback is refused unless the operator allows it, before any request leaves', async () => {
    const { mcpCall } = createMcpActivities();
    const before = server.requests();
    const request: McpCallRequest = { method: 'tools/list', parameters: {}, protocolVersion: '2025-06-18', transport: { kind: 'http', endpoint: server.url, headers: {} }, taskReference: '/do/0/x' };
    expect(await mcpCall(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the egress policy' }] });
    expect(server.requests()).toBe(before);
  });
});

describe('call: mcp over stdio', () => {
  test('starts the allowed program with the task environment only, and calls its tool', async () => {
    const marker = `mcp-stdio-${crypto.randomUUID()}`;
    const added = await (await start(workflow(stdio('tools/call', '{ name: add, arguments: { a: 1, b: 2 } }', marker)))).result();
    expect(added).toMatchObject({ structuredContent: { sum: 3 } });
    const greeting = await (await start(workflow(stdio('tools/call', '{ name: env, arguments: { name: GREETING } }', marker)))).result();
    expect(greeting).toMatchObject({ content: [{ text: 'hello from the task' }] });
    const leaked = await (await start(workflow(stdio('tools/call', '{ name: env, arguments: { name: BATON_TEST_RUNNER_ONLY } }', marker)))).result();
    expect(leaked).toMatchObject({ content: [{ text: '(unset)' }] });
    // Each session's server is gone once its task is done.
    expect(await eventually(async () => processesWith(marker), (pids) => pids.length === 0)).toEqual([]);
  });

  test('a task timeout stops the server and every process it started', async () => {
    const marker = `mcp-hang-${crypto.randomUUID()}`;
    // Long enough for the server to start on a loaded machine and reach the hanging tool.
    const handle = await start(workflow(stdio('tools/call', '{ name: hang }', marker), '\n      timeout: { after: { seconds: 8 } }'));
    expect(await eventually(async () => processesWith(`${marker}-child`), (pids) => pids.length > 0)).not.toEqual([]);
    expect(await failureOf(handle)).toMatchObject({ type: `${ERRORS}timeout`, instance });
    expect(await eventually(async () => processesWith(marker), (pids) => pids.length === 0)).toEqual([]);
  });

  test('a program the policy does not list is refused by the activity', async () => {
    const { mcpCall } = createMcpActivities({ run: { ...RUN_NOTHING, mcpCommands: ['mcp-memo'] } });
    const request: McpCallRequest = { method: 'tools/list', parameters: {}, protocolVersion: '2025-06-18', transport: { kind: 'stdio', command: process.execPath, arguments: [SERVER_SCRIPT], environment: {} }, taskReference: '/do/0/x' };
    expect(await mcpCall(request).catch((error: unknown) => error)).toMatchObject({ details: [{ status: 403, title: 'Refused by the run policy' }] });
  });
});

describe('a runner that does not allow stdio MCP servers', () => {
  test('refuses the document at executeAsync with the command position, and nothing starts', async () => {
    const stack = await startStack();
    try {
      const marker = `mcp-never-${crypto.randomUUID()}`;
      const yaml = workflow(stdio('tools/list', '{}', marker));
      const id = uniqueName('mcp-refused');
      const error = await rejection(stack.client.executeAsync({ workflowExecutionId: id, workflowYaml: yaml }));
      expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(diagnostics(error).map((problem) => [problem.code, problem.pointer, problem.taskPath])).toEqual([['RUN_NOT_ALLOWED', '/do/0/call/with/transport/stdio/command', '/do/0/call']]);
      expect(error.details).toContain('--call-mcp-commands');
      expect((await rejection(stack.client.getExecution(id))).code).toBe(GrpcStatus.NOT_FOUND);
      expect(processesWith(marker)).toEqual([]);
    } finally {
      await stack.stop();
    }
  });
});

test('the protocol versions validation accepts are ones the SDK client speaks', () => {
  for (const version of MCP_PROTOCOL_VERSIONS) expect(SUPPORTED_PROTOCOL_VERSIONS).toContain(version);
});
