/**
 * `baton validate <files…> [--json]`: compile each document and report every problem, with a code
 * frame per diagnostic (or one JSON document with `--json`). Exit 0 when all are valid, 1 when any
 * is invalid, 2 when a file cannot be read.
 */
import { compileWorkflow } from '@baton/dsl';
import type { Diagnostic } from '@baton/dsl';
import { formatDiagnostic } from '../code-frame.ts';
import type { CommandContext } from '../command.ts';
import { ExitCode } from '../errors.ts';
import { readSource } from '../read-source.ts';

interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly error?: string;
  readonly workflow?: { readonly namespace: string; readonly name: string; readonly version: string; readonly tasks: number };
}

export async function validate({ positionals: files, terminal, json }: CommandContext): Promise<ExitCode> {
  const reports: FileReport[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    let source: string;
    try {
      source = await readSource(file);
    } catch (error) {
      reports.push({ file, ok: false, diagnostics: [], error: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    sources.set(file, source);
    const result = compileWorkflow(source, { file });
    reports.push(
      result.ok
        ? {
            file,
            ok: true,
            diagnostics: result.warnings,
            workflow: { namespace: result.plan.document.namespace, name: result.plan.document.name, version: result.plan.document.version, tasks: result.plan.do.length },
          }
        : { file, ok: false, diagnostics: result.diagnostics },
    );
  }

  if (json) {
    terminal.out(JSON.stringify({ valid: reports.every((report) => report.ok), files: reports }, null, 2));
  } else {
    for (const report of reports) {
      if (report.error) {
        terminal.err(`baton validate: ${report.error}`);
        continue;
      }
      for (const diagnostic of report.diagnostics) terminal.out(formatDiagnostic(diagnostic, sources.get(report.file)));
      const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      terminal.out(
        report.ok && report.workflow
          ? `ok ${report.file}: ${report.workflow.namespace}/${report.workflow.name}@${report.workflow.version}, ${report.workflow.tasks} top-level task${report.workflow.tasks === 1 ? '' : 's'}`
          : `invalid ${report.file}: ${errors} ${errors === 1 ? 'error' : 'errors'}`,
      );
    }
  }
  if (reports.some((report) => report.error)) return ExitCode.usage;
  return reports.every((report) => report.ok) ? ExitCode.ok : ExitCode.failed;
}
