/** `baton graph <file>`: the workflow's tasks and flow as a Mermaid flowchart. */
import { compileWorkflow } from '../compile-workflow.ts';
import { toMermaid } from '../graph/mermaid.ts';
import { formatDiagnostic } from './code-frame.ts';
import { EXIT } from './io.ts';
import type { CliIo, ExitCode } from './io.ts';

export const GRAPH_USAGE = 'usage: baton graph <file>   (prints a Mermaid flowchart)\n';

export async function graphCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  if (args.length !== 1 || args[0]!.startsWith('--')) {
    io.stderr(GRAPH_USAGE);
    return EXIT.usage;
  }
  const file = args[0]!;
  let source: string;
  try {
    source = await io.readFile(file);
  } catch (error) {
    io.stderr(`error: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
  const result = compileWorkflow(source, { file });
  if (!result.ok) {
    for (const diagnostic of result.diagnostics) io.stderr(`${formatDiagnostic(diagnostic, source)}\n`);
    return EXIT.invalid;
  }
  io.stdout(toMermaid(result.plan));
  return EXIT.ok;
}
