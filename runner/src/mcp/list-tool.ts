/**
 * `list`: recent executions from Temporal visibility. The runner has no listing rpc, so the server
 * asks Temporal itself for the interpreter workflows on the runner's task queue; it is offered only
 * when `baton mcp` is told where Temporal is.
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { google, temporal } from '@temporalio/proto';
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
    await current?.then((client) => client.connection.close()).catch(() => undefined);
  }
}

/** `WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW` → `continued_as_new`. */
function statusName(status: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined): string {
  const name = temporal.api.enums.v1.WorkflowExecutionStatus[status ?? 0] ?? 'WORKFLOW_EXECUTION_STATUS_UNSPECIFIED';
  return name.replace('WORKFLOW_EXECUTION_STATUS_', '').toLowerCase();
}

function isoTime(timestamp: google.protobuf.ITimestamp | null | undefined): string {
  return new Date(Number(timestamp?.seconds ?? 0) * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1e6)).toISOString();
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
      let executions: Record<string, unknown>[];
      try {
        const client = await visibility.connect();
        // The raw rpc, not client.workflow.list: that one decodes every memo, and a memo sealed by
        // the runner's payload codec (which this process does not hold) would fail the whole listing.
        const { executions: found } = await client.workflowService.listWorkflowExecutions({
          namespace: target.namespace,
          query,
          pageSize: limit ?? DEFAULT_LIMIT,
        });
        executions = found.map((info) => ({
          executionId: info.execution?.workflowId ?? '',
          status: statusName(info.status),
          startedAt: isoTime(info.startTime),
          ...(info.closeTime ? { closedAt: isoTime(info.closeTime) } : {}),
        }));
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
