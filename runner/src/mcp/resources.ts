/**
 * What an agent reads before writing a document: the workflow JSON Schema and Baton's docs
 * (docs/*.md), as MCP resources.
 */
import { readdirSync } from 'node:fs';
import { workflowSchema } from '@baton/dsl';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const SCHEMA_URI = 'baton://schema/workflow.json';
const DOCS = new URL('../../../docs/', import.meta.url);

export function registerResources(server: McpServer): void {
  server.registerResource(
    'workflow-schema',
    SCHEMA_URI,
    { title: 'Workflow JSON Schema', description: 'The schema Baton validates workflow documents against', mimeType: 'application/schema+json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/schema+json', text: JSON.stringify(workflowSchema(), null, 2) }] }),
  );
  for (const name of readdirSync(DOCS).filter((entry) => entry.endsWith('.md')).sort()) {
    server.registerResource(
      `docs-${name.replace(/\.md$/, '')}`,
      `baton://docs/${name}`,
      { title: `Baton docs: ${name}`, mimeType: 'text/markdown' },
      async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await Bun.file(new URL(name, DOCS)).text() }] }),
    );
  }
}
