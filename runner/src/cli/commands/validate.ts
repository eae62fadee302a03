/**
 * `baton validate <files…> [--json] [--explain]`: compile each document and report every problem, with a code
 * frame per diagnostic (or one JSON document with `--json`); `--explain` names the dialect and the
 * differences from the specification that apply. Exit 0 when all are valid, 1 when any
 * is invalid, 2 when a file cannot be read.
 */
import { compileWorkflow } from '@baton/dsl';
import type { Diagnostic } from '@baton/dsl';
import { formatDiagnostic } from '../code-frame.ts';
import type { CommandContext } from '../command.ts';
import { ExitCode } from '../errors.ts';
import { readSource } from '../read-source.ts';
import { explainDialect } from '../dialect-explanation.ts';
import type { DialectExplanation } from '../dialect-explanation.ts';

interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly error?: string;
  readonly workflow?: { readonly namespace: string; readonly name: string; readonly version: string; readonly tasks: number };
  readonly explanation?: DialectExplanation;
}

export async function validate({ positionals: files, terminal, json, options }: CommandContext): Promise<ExitCode> {
  const explain = options.explain === true;
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
            ...(explain ? { explanation: explainDialect(result.plan) } : {}),
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
      if (report.explanation) {
        terminal.out(report.explanation.dialect === 'zigflow' ? "  dialect: Zigflow — runs with Zigflow's semantics; differences from the specification:" : '  dialect: Serverless Workflow specification');
        for (const difference of report.explanation.differences) terminal.out(`  - ${difference}`);
      }
    }
  }
  if (reports.some((report) => report.error)) return ExitCode.usage;
  return reports.every((report) => report.ok) ? ExitCode.ok : ExitCode.failed;
}
