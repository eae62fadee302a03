/** `baton mcp --http`: the SDK's streamable HTTP client against the real process, behind the bearer token. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { freePort } from '../../src/temporal/dev-server.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TOKEN = `t-${crypto.randomUUID()}`;
let url: string;
let server: Bun.Subprocess<'ignore', 'ignore', 'pipe'>;

function baton(args: string[]) {
  // No Temporal address from the test harness: these servers offer no `list`.
  const { TEMPORAL_ADDRESS: _, ...env } = process.env;
  return Bun.spawn(['bun', 'runner/src/cli/main.ts', 'mcp', ...args], { cwd: ROOT, env, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' });
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  // An unreachable runner: the document tools need none, and the others must say so.
  server = baton(['--http', `127.0.0.1:${port}`, '--token', TOKEN, '--runner', '127.0.0.1:1']);
  process.once('exit', () => server.kill('SIGKILL'));
  const reader = server.stderr.getReader();
  let printed = '';
  while (!printed.includes('serving MCP at')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`baton mcp --http did not start:\n${printed}`);
    printed += new TextDecoder().decode(value);
  }
  reader.releaseLock();
}, 30_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  expect(await server.exited).toBe(0);
});

async function connect(token?: string): Promise<Client> {
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}));
  return client;
}

const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

test('with the token: tools work, files are refused, runner failures are tool errors', async () => {
  const client = await connect(TOKEN);
  const valid = (await client.callTool({ name: 'validate', arguments: { document: await Bun.file(`${ROOT}examples/hello.yaml`).text() } })) as CallToolResult;
  expect(valid.structuredContent).toMatchObject({ valid: true });
  const file = (await client.callTool({ name: 'validate', arguments: { file: 'examples/hello.yaml' } })) as CallToolResult;
  expect(file.isError).toBe(true);
  expect(text(file)).toContain('does not read files');
  const status = (await client.callTool({ name: 'status', arguments: { executionId: 'x' } })) as CallToolResult;
  expect(status.isError).toBe(true);
  expect(text(status)).toContain('cannot reach the Baton runner');
  await client.close();
});

test('without the token or with a wrong one: 401', async () => {
  await expect(connect()).rejects.toThrow('unauthorized: send the runner token');
  await expect(connect('wrong')).rejects.toThrow('unauthorized: send the runner token');
  const refused = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}x`, 'content-type': 'application/json' }, body: '{}' });
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toBe('Bearer');
});

test('without a token, only loopback may be bound', async () => {
  const child = baton(['--http', `0.0.0.0:${await freePort()}`]);
  expect(await child.exited).toBe(2);
  expect(await new Response(child.stderr).text()).toContain('needs a bearer token');
});

test('without a token, a non-loopback Host is refused (DNS rebinding)', async () => {
  const port = await freePort();
  const open = baton(['--http', `127.0.0.1:${port}`]);
  try {
    const reader = open.stderr.getReader();
    let printed = '';
    while (!printed.includes('serving MCP at')) printed += new TextDecoder().decode((await reader.read()).value);
    const refused = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { host: 'evil.example:80', 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    const client = new Client({ name: 'local', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('list');
    await client.close();
  } finally {
    open.kill('SIGTERM');
    await open.exited;
  }
});
