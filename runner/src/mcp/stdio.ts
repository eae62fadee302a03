/** Serves one MCP session over standard input/output: the transport an agent uses when it spawns `baton mcp`. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** Resolves when the client goes away (standard input ends) or the process is asked to stop. */
export async function serveStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  // The SDK's transport does not notice the end of standard input by itself.
  const stop = () => void transport.close();
  process.stdin.once('end', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.connect(transport);
  await closed;
  process.stdin.off('end', stop);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
