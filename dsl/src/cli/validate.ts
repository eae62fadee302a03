/**
 * `baton validate <files…> [--json]`: compile each document and report every problem, with a code
 * frame per diagnostic (or one JSON document with `--json`). Exit 0 when all are valid, 1 when any
 * is invalid, 2 on a usage or I/O error.
 */
import { compileWorkflow } from '../compile-workflow.ts';
import type { Diagnostic } from '../errors.ts';
import { formatDiagnostic } from './code-frame.ts';
import { EXIT } from './io.ts';
import type { CliIo, ExitCode } from './io.ts';

export const VALIDATE_USAGE = 'usage: baton validate [--json] <file…>   (use - for standard input)\n';

interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly error?: string;
  readonly workflow?: { readonly namespace: string; readonly name: string; readonly version: string; readonly tasks: number };
}

export async function validateCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const json = args.includes('--json');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--json');
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (unknown.length > 0 || files.length === 0) {
    io.stderr(`${unknown.length > 0 ? `unknown option ${unknown.join(', ')}\n` : ''}${VALIDATE_USAGE}`);
    return EXIT.usage;
  }

  const reports: FileReport[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    let source: string;
    try {
      source = await io.readFile(file);
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
    io.stdout(`${JSON.stringify({ valid: reports.every((report) => report.ok), files: reports }, null, 2)}\n`);
  } else {
    for (const report of reports) {
      if (report.error) {
        io.stderr(`error: ${report.error}\n`);
        continue;
      }
      for (const diagnostic of report.diagnostics) io.stdout(`${formatDiagnostic(diagnostic, sources.get(report.file))}\n`);
      const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      io.stdout(
        report.ok && report.workflow
          ? `ok ${report.file}: ${report.workflow.namespace}/${report.workflow.name}@${report.workflow.version}, ${report.workflow.tasks} top-level task${report.workflow.tasks === 1 ? '' : 's'}\n`
          : `invalid ${report.file}: ${errors} ${errors === 1 ? 'error' : 'errors'}\n`,
      );
    }
  }
  if (reports.some((report) => report.error)) return EXIT.usage;
  return reports.every((report) => report.ok) ? EXIT.ok : EXIT.invalid;
}
