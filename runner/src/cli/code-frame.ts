/** A diagnostic as a person reads it: location, message, the source lines around it, a caret. */
import type { Diagnostic } from '@baton/dsl';

const CONTEXT_LINES = 2;

export function formatDiagnostic(diagnostic: Diagnostic, source: string | undefined): string {
  const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}` : diagnostic.file;
  const path = diagnostic.taskPath ? ` (${diagnostic.taskPath})` : '';
  const out = [`${diagnostic.severity}[${diagnostic.code}]: ${diagnostic.message}`, `  --> ${where}${path}`];
  if (source !== undefined && diagnostic.line > 0) out.push(...frame(source, diagnostic.line, diagnostic.column));
  if (diagnostic.hint) out.push(`   = hint: ${diagnostic.hint}`);
  return `${out.join('\n')}\n`;
}

function frame(source: string, line: number, column: number): string[] {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - CONTEXT_LINES);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const gutter = (label: string) => `${label.padStart(width)} | `;
  const out = [`${' '.repeat(width)} |`];
  for (let number = first; number <= last; number++) {
    const text = (lines[number - 1] ?? '').replace(/\t/g, ' ');
    out.push(`${gutter(String(number))}${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
  }
  out.push(`${gutter('')}${' '.repeat(Math.max(0, Math.min(column - 1, 160)))}^`);
  return out;
}
