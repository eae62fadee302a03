/**
 * An agent's session with `baton mcp`, through the official SDK client over stdio against the real
 * process: validate a broken document, fix it from the diagnostics, run it on a real runner and
 * follow it to the end; cancel one; list them; read the schema and docs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { testTemporal } from '../../../test/temporal-env.ts';
import { startLocalStack, type LocalStack } from '../cli/local-stack.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

const BROKEN = `document: {dsl: '1.0.0', namespace: agents, name: greet, version: '1.0.0'}
do:
  - greet:
      set:
        greeting: \${ "Hello, " + .name + "!" }
      then: shout
  - rest:
      wait: {milliseconds: soon}
`;
const FIXED = BROKEN.replace('then: shout', 'then: rest').replace('milliseconds: soon', 'milliseconds: 3000');
const SLOW = `document: {dsl: '1.0.0', namespace: agents, name: slow, version: '1.0.0'}
do:
  - nap:
      wait: {minutes: 5}
`;

let stack: LocalStack;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  const temporal = testTemporal();
  taskQueue = `mcp-${crypto.randomUUID()}`;
  stack = await startLocalStack({ args: ['--temporal-address', temporal.address, '--task-queue', taskQueue] });
  client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: 'bun',
      args: [
        'runner/src/cli/main.ts', 'mcp',
        '--runner', stack.grpcAddress,
        '--temporal-address', temporal.address,
        '--temporal-namespace', temporal.namespace,
        '--task-queue', taskQueue,
      ],
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>) },
      stderr: 'inherit',
    }),
  );
}, 60_000);

afterAll(async () => {
  await client?.close();
  await stack?.stop();
}, 30_000);

async function call(name: string, args: Record<string, unknown> = {}, options = {}): Promise<CallToolResult & { structuredContent: Record<string, any> }> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult & { structuredContent: Record<string, any> };
}

const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

test('offers every tool, described', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(['cancel', 'graph', 'list', 'run', 'schema', 'status', 'validate', 'watch']);
  for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(20);
  expect(client.getInstructions()).toContain('validate');
});

describe('write, fix, run, follow', () => {
  let executionId: string;

  test('validate reports each mistake with its code, position, task path and hint', async () => {
    const result = await call('validate', { document: BROKEN });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.valid).toBe(false);
    const diagnostics = result.structuredContent.diagnostics;
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'SW301', severity: 'error', line: 6, column: 13, taskPath: 'do[0].greet.then', hint: expect.stringContaining('rest') }));
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'SW203', line: 8, taskPath: 'do[1].rest.wait.milliseconds' }));
    expect(text(result)).toContain('error[SW301]');
    expect(text(result)).toContain('6 |       then: shout');
  });

  test('run refuses the broken document without starting it', async () => {
    const result = await call('run', { document: BROKEN, id: `never-${crypto.randomUUID()}` });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('not started: the document is invalid');
    expect(result.structuredContent.diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(['SW203', 'SW301']);
  });

  test('the fixed document validates, and graph draws it', async () => {
    const result = await call('validate', { document: FIXED });
    expect(result.structuredContent).toMatchObject({ valid: true, workflow: { name: 'greet', tasks: 2 } });
    const graph = await call('graph', { document: FIXED });
    expect(graph.structuredContent.mermaid).toStartWith('flowchart');
    expect(graph.structuredContent.mermaid).toContain('rest');
  });

  test('run starts it on the runner, and watch follows it to completed with progress', async () => {
    const started = await call('run', { document: FIXED, input: { name: 'Ada' } });
    expect(started.isError).toBeFalsy();
    executionId = started.structuredContent.executionId;
    expect(executionId).toStartWith('greet-');
    expect(started.structuredContent.status).toBe('running');

    const progress: string[] = [];
    const watched = await call('watch', { executionId }, { onprogress: (p: { message?: string }) => progress.push(p.message ?? ''), timeout: 60_000 });
    expect(watched.isError).toBeFalsy();
    expect(watched.structuredContent).toMatchObject({ executionId, phase: 'completed', finished: true, output: { greeting: 'Hello, Ada!' } });
    expect(watched.structuredContent.tasks.map((task: { path: string; status: string }) => [task.path, task.status])).toEqual([
      ['/do/0/greet', 'completed'],
      ['/do/1/rest', 'completed'],
    ]);
    // Sent while the wait runs. The last transition is sent just before the result, and the SDK's
    // client handles a response at once but a notification a tick later, after it has already
    // dropped the request's progress handler: that one may never reach `onprogress`.
    expect(progress).toContain('/do/1/rest wait in_progress');
  });

  test('status shows the finished execution', async () => {
    const status = await call('status', { executionId });
    expect(status.structuredContent).toMatchObject({ phase: 'completed', finished: true });
    expect(text(status)).toContain(`${executionId}: completed`);
  });

  test('list finds it in Temporal visibility', async () => {
    // Visibility is eventually consistent: the listing may lag the close by a moment.
    let rows: { executionId: string; status: string }[] = [];
    for (let attempt = 0; attempt < 50 && !rows.some((row) => row.executionId === executionId && row.status === 'completed'); attempt++) {
      const listed = await call('list', { status: 'Completed' });
      expect(listed.isError).toBeFalsy();
      rows = listed.structuredContent.executions;
      await Bun.sleep(200);
    }
    expect(rows).toContainEqual(expect.objectContaining({ executionId, status: 'completed' }));
  });
});

test('cancel stops a running execution; watch then sees it cancelled', async () => {
  const id = `slow-${crypto.randomUUID()}`;
  expect((await call('run', { document: SLOW, id })).structuredContent.executionId).toBe(id);
  const cancelled = await call('cancel', { executionId: id, reason: 'agent changed its mind' });
  expect(cancelled.structuredContent).toEqual({ executionId: id, result: 'cancellation requested' });
  const watched = await call('watch', { executionId: id, timeoutSeconds: 30 });
  expect(watched.structuredContent).toMatchObject({ phase: 'cancelled', finished: true });
});

test('watch gives up after its timeout and says the execution is still running', async () => {
  const id = `slow-${crypto.randomUUID()}`;
  await call('run', { document: SLOW, id });
  const watched = await call('watch', { executionId: id, timeoutSeconds: 1 });
  expect(watched.isError).toBeFalsy();
  expect(watched.structuredContent).toMatchObject({ phase: 'in_progress', finished: false });
  expect(text(watched)).toContain('still in_progress after the watch ended');
  await call('cancel', { executionId: id, force: true });
});

test("the runner's refusals come back as tool errors with its sentence", async () => {
  const result = await call('status', { executionId: `missing-${crypto.randomUUID()}` });
  expect(result.isError).toBe(true);
  expect(text(result)).toContain('no execution with id');
});

test('a file path works over stdio', async () => {
  const result = await call('validate', { file: 'examples/hello.yaml' });
  expect(result.structuredContent.valid).toBe(true);
  const missing = await call('validate', { file: 'no/such.yaml' });
  expect(missing.isError).toBe(true);
  expect(text(missing)).toContain('workflow file not found: no/such.yaml');
});

test('resources: the schema and the docs', async () => {
  const { resources } = await client.listResources();
  const uris = resources.map((resource) => resource.uri);
  expect(uris).toContain('baton://schema/workflow.json');
  expect(uris).toContain('baton://docs/dsl.md');
  expect(uris).toContain('baton://docs/mcp.md');
  const schema = await client.readResource({ uri: 'baton://schema/workflow.json' });
  const body = JSON.parse((schema.contents[0] as { text: string }).text);
  expect(body.properties.document).toBeDefined();
  const docs = await client.readResource({ uri: 'baton://docs/cli.md' });
  expect((docs.contents[0] as { text: string }).text).toContain('baton validate');
});
