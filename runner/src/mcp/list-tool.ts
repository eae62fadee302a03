/**
 * `list`: recent executions from Temporal visibility. The runner has no listing rpc, so the server
 * asks Temporal itself for the interpreter workflows on the runner's task queue; it is offered only
 * when `baton mcp` is told where Temporal is.
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { INTERPRETER_WORKFLOW_TYPE } from '../contract/index.ts';
import { answer, refusal } from './tool-result.ts';

export interface VisibilityTarget {
  readonly connection: ConnectionOptions;
  readonly namespace: string;
  readonly taskQueue: string;
}

/** One Temporal connection, shared by every MCP server of the process and opened on first use. */
export class Visibility {
  private client: Promise<Client> | undefined;
  constructor(readonly target: VisibilityTarget) {}

  connect(): Promise<Client> {
    return (this.client ??= Connection.connect(this.target.connection).then((connection) => new Client({ connection, namespace: this.target.namespace })));
  }

  /** Forgets a connection that failed, so the next call tries again. */
  reset(): void {
    this.client = undefined;
  }

  async close(): Promise<void> {
    const current = this.client;
    this.client = undefined;
    await current?.then((temporal) => temporal.connection.close()).catch(() => undefined);
  }
}

const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'] as const;
const DEFAULT_LIMIT = 20;

export function registerListTool(server: McpServer, visibility: Visibility): void {
  const { target } = visibility;

  server.registerTool(
    'list',
    {
      title: 'List executions',
      description: `The most recent executions on the runner's task queue ("${target.taskQueue}"), newest first, from Temporal visibility.`,
      inputSchema: {
        status: z.enum(STATUSES).optional().describe('only executions in this Temporal status'),
        limit: z.number().int().min(1).max(100).optional().describe(`how many (default ${DEFAULT_LIMIT})`),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ status, limit }) => {
      // Only literals from closed sets and the operator's task queue (checked to hold no quote) enter the query.
      const query = [
        `WorkflowType = '${INTERPRETER_WORKFLOW_TYPE}'`,
        `TaskQueue = '${target.taskQueue}'`,
        ...(status ? [`ExecutionStatus = '${status}'`] : []),
      ].join(' AND ');
      const executions: Record<string, unknown>[] = [];
      try {
        const temporal = await visibility.connect();
        for await (const info of temporal.workflow.list({ query, pageSize: limit ?? DEFAULT_LIMIT })) {
          executions.push({
            executionId: info.workflowId,
            status: info.status.name.toLowerCase(),
            startedAt: info.startTime.toISOString(),
            ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
          });
          if (executions.length >= (limit ?? DEFAULT_LIMIT)) break;
        }
      } catch (error) {
        visibility.reset();
        return refusal(`cannot list executions from Temporal at ${target.connection.address}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const text = executions.length
        ? executions.map((row) => `${row.executionId}  ${row.status}  started ${row.startedAt}`).join('\n')
        : 'no executions';
      return answer(text, { executions });
    },
  );
}
