/** How every Baton tool answers: a text for the model to read, and the same facts as structured JSON. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CliError } from '../cli/errors.ts';

export function answer(text: string, structured?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}) };
}

/** A tool error the agent can act on (MCP's `isError`), not a protocol error. */
export function refusal(text: string, structured: Record<string, unknown> = {}): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: { error: text, ...structured }, isError: true };
}

/** Runs a tool body; the runner client's sentences (unreachable, refused, not found) become tool errors. */
export async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliError) return refusal(error.message);
    throw error;
  }
}
