/** One Baton MCP server: the document tools, the execution tools, `list` when Temporal is known, and the resources. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import runnerPackage from '../../package.json' with { type: 'json' };
import type { RunnerClient } from '../cli/runner-client.ts';
import { registerDocumentTools } from './document-tools.ts';
import { registerExecutionTools } from './execution-tools.ts';
import { registerListTool, type Visibility } from './list-tool.ts';
import { registerResources, SCHEMA_URI } from './resources.ts';

export interface BatonMcpOptions {
  /** The runner the execution tools talk to; connected on first use. */
  readonly runner: () => RunnerClient;
  /** Whether tools may read workflow files from this machine (stdio yes, HTTP no). */
  readonly allowFiles: boolean;
  /** Where to list executions from; without it there is no `list` tool. */
  readonly visibility?: Visibility;
}

const INSTRUCTIONS = `Baton runs CNCF Serverless Workflow documents (YAML) as durable Temporal workflows.
To get a workflow running: write the document, call \`validate\` and fix every diagnostic it reports (each has a code, line, column and often a hint) until it says valid, then \`run\` it with its input and follow it with \`watch\` (or poll \`status\`) until it is completed, failed or cancelled.
The schema is the resource ${SCHEMA_URI}; the DSL as Baton implements it is baton://docs/dsl.md.`;

export function createBatonMcp(options: BatonMcpOptions): McpServer {
  const server = new McpServer({ name: 'baton', version: runnerPackage.version }, { instructions: INSTRUCTIONS });
  registerDocumentTools(server, options.allowFiles);
  registerExecutionTools(server, options.runner, options.allowFiles);
  if (options.visibility) registerListTool(server, options.visibility);
  registerResources(server);
  return server;
}
