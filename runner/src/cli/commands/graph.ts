/** `baton graph <file>`: the workflow's tasks and flow as a Mermaid flowchart. */
import { compileWorkflow, toMermaid } from '@baton/dsl';
import { formatDiagnostic } from '../code-frame.ts';
import type { CommandContext } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { readSource } from '../read-source.ts';

export async function graph({ positionals: [file], terminal }: CommandContext): Promise<ExitCode> {
  let source: string;
  try {
    source = await readSource(file!);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.usage);
  }
  const result = compileWorkflow(source, { file: file! });
  if (!result.ok) {
    for (const diagnostic of result.diagnostics) terminal.err(formatDiagnostic(diagnostic, source));
    return ExitCode.failed;
  }
  terminal.out(toMermaid(result.plan).replace(/\n$/, ''));
  return ExitCode.ok;
}
