/** What the interpreter hands the MCP activity: every expression already evaluated. */
import type { McpMethod } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from './auth.ts';

export type McpTransportRequest =
  | { readonly kind: 'http'; readonly endpoint: string; readonly headers: Readonly<Record<string, string>> }
  | {
      readonly kind: 'stdio';
      readonly command: string;
      readonly arguments: readonly string[];
      /** Added to the minimal environment the process starts with (never the runner's own). */
      readonly environment: Readonly<Record<string, string>>;
    };

export interface McpCallRequest {
  readonly method: McpMethod;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly protocolVersion: string;
  readonly requestTimeoutMs?: number;
  readonly transport: McpTransportRequest;
  readonly client?: { readonly name: string; readonly version: string };
  /** The HTTP endpoint's authentication policy, evaluated (and a token obtained) by the activity. */
  readonly authentication?: AuthenticationArguments;
  /** The calling task's reference, used as the error's `instance`. */
  readonly taskReference: string;
}

export const MCP_ACTIVITY_TYPE = 'mcpCall';

export interface McpActivities {
  mcpCall(request: McpCallRequest): Promise<unknown>;
}
