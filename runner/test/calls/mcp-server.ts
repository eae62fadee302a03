/**
 * A small MCP server for the `call: mcp` tests, built with the official SDK: tools (`add`, `fail`,
 * `whoami`, `hang`), a resource and a prompt. Served over streamable HTTP by `serveMcp`, or over
 * stdio when run as a program (`bun mcp-server.ts <marker>`): `hang` then starts a child process
 * carrying the marker, so a test can see the whole process group go when the call ends.
 */
import { spawn } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { z } from 'zod';

export function createTestServer(marker = ''): McpServer {
  const server = new McpServer({ name: 'calculator', version: '1.0.0' });
  server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
    structuredContent: { sum: a + b },
  }));
  server.registerTool('fail', { description: 'Always fails', inputSchema: { why: z.string() } }, ({ why }) => ({
    content: [{ type: 'text', text: `cannot: ${why}` }],
    isError: true,
  }));
  server.registerTool('whoami', { description: 'Echoes the credential it was sent, as careless servers do' }, (extra) => ({
    content: [{ type: 'text', text: String(extra.requestInfo?.headers.authorization ?? 'nobody') }],
  }));
  server.registerTool('env', { description: 'Reads one environment variable', inputSchema: { name: z.string() } }, ({ name }) => ({
    content: [{ type: 'text', text: process.env[name] ?? '(unset)' }],
  }));
  server.registerTool('hang', { description: 'Never answers' }, () => {
    if (marker) spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', `${marker}-child`], { stdio: 'ignore' });
    return new Promise(() => undefined);
  });
  server.registerResource('greeting', 'memo://greeting', { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, text: 'hello from a resource' }] }));
  server.registerPrompt('greet', { argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}` } }],
  }));
  return server;
}

/** Streamable HTTP on loopback, stateless; `requests` counts what reached it (the egress tests). */
export function serveMcp(): { readonly url: string; readonly requests: () => number; stop(): void } {
  let requests = 0;
  const http = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      requests++;
      if (new URL(request.url).pathname !== '/mcp') return new Response('not here', { status: 404 });
      if (request.headers.get('authorization') === 'Bearer wrong') return new Response('refused', { status: 401 });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: false });
      await createTestServer().connect(transport);
      return transport.handleRequest(request);
    },
  });
  return { url: `http://127.0.0.1:${http.port}/mcp`, requests: () => requests, stop: () => void http.stop(true) };
}

if (import.meta.main) {
  await createTestServer(process.argv[2] ?? '').connect(new StdioServerTransport());
}
