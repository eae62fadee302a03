/** `validate`, `graph` and `schema`: the CLI's document commands as tools, with @baton/dsl and no runner. */
import { compileWorkflow, toMermaid, workflowSchema, type Diagnostic } from '@baton/dsl';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatDiagnostic } from '../cli/code-frame.ts';
import { explainDialect } from '../cli/dialect-explanation.ts';
import { documentArguments, readDocument } from './document-source.ts';
import { answer, refusal } from './tool-result.ts';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

export function registerDocumentTools(server: McpServer, allowFiles: boolean): void {
  server.registerTool(
    'validate',
    {
      title: 'Validate a workflow document',
      description:
        'Compile a Serverless Workflow document as the runner would. Reports every problem with a code (SWnnn), ' +
        'line and column, JSON pointer, task path and often a hint; fix them all and validate again before `run`.',
      inputSchema: documentArguments,
      annotations: READ_ONLY,
    },
    async (args) => {
      const read = await readDocument(args, allowFiles);
      if (!read.ok) return refusal(read.problem);
      const result = compileWorkflow(read.source, { file: read.name });
      const diagnostics = result.ok ? result.warnings : result.diagnostics;
      const frames = diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, read.source)).join('\n');
      if (!result.ok) {
        const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
        return answer(`invalid: ${errors} ${errors === 1 ? 'error' : 'errors'}\n\n${frames}`, { valid: false, diagnostics: diagnostics.map(plain) });
      }
      const { namespace, name, version } = result.plan.document;
      const explanation = explainDialect(result.plan);
      const summary = `valid: ${namespace}/${name}@${version}, ${result.plan.do.length} top-level task${result.plan.do.length === 1 ? '' : 's'}`;
      const dialect =
        explanation.dialect === 'zigflow'
          ? `\ndialect: Zigflow; differences from the specification:\n${explanation.differences.map((line) => `- ${line}`).join('\n')}`
          : '';
      return answer(`${summary}${dialect}${frames ? `\n\n${frames}` : ''}`, {
        valid: true,
        diagnostics: diagnostics.map(plain),
        workflow: { namespace, name, version, tasks: result.plan.do.length },
        dialect: explanation,
      });
    },
  );

  server.registerTool(
    'graph',
    {
      title: 'Draw a workflow',
      description: "A Mermaid flowchart of the document's tasks and flow (the document must be valid).",
      inputSchema: documentArguments,
      annotations: READ_ONLY,
    },
    async (args) => {
      const read = await readDocument(args, allowFiles);
      if (!read.ok) return refusal(read.problem);
      const result = compileWorkflow(read.source, { file: read.name });
      if (!result.ok) {
        return refusal(`the document is invalid; \`validate\` it first:\n\n${result.diagnostics.map((d) => formatDiagnostic(d, read.source)).join('\n')}`, {
          diagnostics: result.diagnostics.map(plain),
        });
      }
      const mermaid = toMermaid(result.plan);
      return answer(mermaid, { mermaid });
    },
  );

  server.registerTool(
    'schema',
    {
      title: 'Workflow JSON Schema',
      description: 'The JSON Schema Baton validates documents against (also the resource baton://schema/workflow.json).',
      annotations: READ_ONLY,
    },
    // Text only: the schema is large, and structured content would send it twice.
    async () => answer(JSON.stringify(workflowSchema())),
  );
}

/** A diagnostic as plain JSON (the interface is readonly data already; this fixes the key set). */
function plain(diagnostic: Diagnostic): Record<string, unknown> {
  const { code, severity, message, file, line, column, pointer, taskPath, hint } = diagnostic;
  return { code, severity, message, file, line, column, pointer, taskPath, ...(hint ? { hint } : {}) };
}
