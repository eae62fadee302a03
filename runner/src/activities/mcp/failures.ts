/**
 * What went wrong with an MCP call, as the Serverless Workflow error the task raises: HTTP statuses
 * as `call: http` maps them, JSON-RPC errors by their code, a tool's own error (`isError`) as a
 * runtime error. Transient causes (unreachable, 5xx, a request timeout) are retryable.
 */
import { ApplicationFailure } from '@temporalio/common';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { EgressRefusedError, ResponseTooLargeError } from '../../egress/index.ts';
import { callFailure, isRetryableStatus } from '../call-policy.ts';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

/** `where` names the server (its endpoint, or the program); `stderr` is the end of a stdio server's error output. */
export function mcpFailure(error: unknown, where: string, instance: string, stderr = ''): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const said = stderr ? ` (server stderr: ${stderr})` : '';
  if (error instanceof EgressRefusedError) {
    return callFailure({ kind: 'communication', status: 403, title: 'Refused by the egress policy', detail: `MCP ${where}: ${error.message}`, instance });
  }
  if (error instanceof ResponseTooLargeError) {
    return callFailure({ kind: 'communication', status: 413, title: 'Response too large', detail: `MCP ${where}: ${error.message}`, instance });
  }
  if (error instanceof UnauthorizedError) {
    return callFailure({ kind: 'authentication', status: 401, title: 'Unauthorized', detail: `MCP ${where} answered 401`, instance });
  }
  if (error instanceof StreamableHTTPError) {
    const status = error.code ?? 502;
    const kind = status === 401 ? 'authentication' : status === 403 ? 'authorization' : 'communication';
    return callFailure({ kind, status, title: `MCP server answered ${status}`, detail: `MCP ${where}: ${error.message}`, instance, retryable: isRetryableStatus(status) });
  }
  if (error instanceof McpError) {
    const detail = `MCP ${where}: ${error.message}${said}`;
    switch (error.code) {
      case ErrorCode.RequestTimeout:
        return callFailure({ kind: 'timeout', status: 408, title: 'MCP request timed out', detail, instance, retryable: true });
      case ErrorCode.ConnectionClosed:
        return callFailure({ kind: 'communication', status: 503, title: 'MCP connection closed', detail, instance, retryable: true });
      case ErrorCode.InvalidParams:
        return callFailure({ kind: 'validation', status: 400, title: 'Invalid parameters', detail, instance });
      case ErrorCode.MethodNotFound:
        return callFailure({ kind: 'configuration', status: 404, title: 'Method not found', detail, instance });
      default:
        return callFailure({ kind: 'communication', status: 502, title: 'MCP error', detail: `${detail} (code ${error.code})`, instance });
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return callFailure({ kind: 'communication', status: 503, title: 'MCP server unreachable', detail: `MCP ${where}: ${message}${said}`, instance, retryable: true });
  }
  return callFailure({ kind: 'communication', status: 502, title: 'MCP call failed', detail: `MCP ${where}: ${message}${said}`, instance });
}

/** A `tools/call` answered with `isError`: the tool ran and failed; its text content is the detail. */
export function toolFailure(result: { readonly content?: unknown }, tool: string, instance: string): ApplicationFailure {
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content
    .map((item: unknown) => (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text' ? String((item as { text?: unknown }).text) : undefined))
    .filter((item): item is string => item !== undefined)
    .join('\n');
  return callFailure({ kind: 'runtime', status: 500, title: 'Tool error', detail: `the tool '${tool}' failed${text ? `: ${text}` : ''}`, instance });
}
