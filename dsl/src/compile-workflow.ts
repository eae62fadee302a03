/**
 * The DSL's front door: source text (or a plain object) → compiled Plan, or every problem found,
 * each with its code and position. Errors are values: nothing here throws for any input.
 */
import { documentDialect, normaliseDialect, originalPointer } from './document/dialect.ts';
import type { Renames } from './document/dialect.ts';
import { compileDocument } from './compile/workflow.ts';
import type { Diagnostic, Problem } from './errors.ts';
import { parseSource } from './parse/parse-source.ts';
import type { Position, SourceDocument } from './parse/parse-source.ts';
import { pointerToPath } from './parse/pointer.ts';
import type { Plan } from './plan.ts';
import { validateDocument } from './validate/index.ts';
import { sharedJqChecker } from './document/expression-checker.ts';

export interface CompileOptions {
  /** Shown in diagnostics; defaults to `<input>`. */
  readonly file?: string;
  /** Largest accepted source, in UTF-8 bytes; defaults to 1 MiB (also when not a positive number). */
  readonly maxBytes?: number;
}

export type CompileResult =
  | { readonly ok: true; readonly plan: Plan; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Compile a YAML or JSON workflow document. */
export function compileWorkflow(source: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? '<input>';
  try {
    if (typeof source !== 'string') return failure(file, new TypeError('source must be a string'), 'SW100');
    const { maxBytes } = options;
    const parsed = parseSource(source, maxBytes !== undefined && Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : undefined);
    if (!parsed.ok) {
      return {
        ok: false,
        diagnostics: parsed.problems.map((problem): Diagnostic => ({
          code: problem.code,
          severity: 'error',
          message: problem.message,
          file,
          line: problem.position.line,
          column: problem.position.column,
          pointer: problem.pointer,
          taskPath: pointerToPath(problem.pointer),
          ...(problem.hint ? { hint: problem.hint } : {}),
        })).sort(bySourceOrder),
      };
    }
    return compileValue(parsed.source.value as Record<string, unknown>, file, parsed.source);
  } catch (error) {
    return failure(file, error, 'SW900');
  }
}

/**
 * Compile a workflow given as a plain object (what the builder produces, or parsed JSON). The
 * object is not modified. Diagnostics carry pointers and task paths but no line/column (0).
 */
export function compileWorkflowObject(document: unknown, options: Pick<CompileOptions, 'file'> = {}): CompileResult {
  const file = options.file ?? '<object>';
  try {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return failure(file, new TypeError('the workflow must be an object'), 'SW105');
    }
    // Route through JSON so positions exist and every stage sees exactly what YAML would give;
    // the caller's object is never touched.
    let json: string;
    try {
      json = JSON.stringify(document);
    } catch (error) {
      return failure(file, new TypeError(`the workflow object is not plain JSON data (${error instanceof Error ? error.message : String(error)})`), 'SW105');
    }
    return compileWorkflow(json, { file });
  } catch (error) {
    return failure(file, error, 'SW900');
  }
}

/** Parse → validate → compile: the compiler only ever sees a document validation accepted. */
function compileValue(root: Record<string, unknown>, file: string, source: SourceDocument): CompileResult {
  const dialect = documentDialect(root);
  const renames = normaliseDialect(root);
  const expressions = sharedJqChecker();
  const problems = validateDocument(root, expressions, dialect);
  const diagnostics = dedupe(problems.map((problem) => toDiagnostic(problem, file, source, renames))).sort(bySourceOrder);
  if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, plan: compileDocument(root, expressions, dialect), warnings: diagnostics };
}

function toDiagnostic(problem: Problem, file: string, source: SourceDocument, renames: Renames): Diagnostic {
  const written = originalPointer(problem.pointer, renames);
  let position = source.locate(written, problem.atKey ?? false);
  if (problem.within) position = refine(source, position, problem.within.text, problem.within.offset);
  return {
    code: problem.code,
    severity: problem.severity,
    message: problem.message,
    file,
    line: position.line,
    column: position.column,
    pointer: written,
    taskPath: pointerToPath(written),
    ...(problem.hint ? { hint: problem.hint } : {}),
  };
}

/**
 * Move a position from the start of a string scalar to `offset` inside its value. Exact for
 * plain and quoted single-line scalars and for literal blocks (`|`); otherwise the scalar start.
 */
function refine(source: SourceDocument, start: Position, value: string, offset: number): Position {
  const raw = source.text.slice(start.offset, start.offset + value.length + 2);
  if (raw.startsWith(value.slice(0, offset))) return source.position(start.offset + offset);
  if ((raw.startsWith('"') || raw.startsWith("'")) && raw.slice(1).startsWith(value.slice(0, offset))) {
    return source.position(start.offset + 1 + offset);
  }
  if (raw.startsWith('|')) {
    const before = value.slice(0, offset).split('\n');
    const lineInValue = before.length - 1;
    const blockStart = source.text.indexOf('\n', start.offset) + 1;
    const indent = /^ */.exec(source.text.slice(blockStart))![0].length;
    const column = before[lineInValue]!.length;
    return { line: start.line + 1 + lineInValue, column: indent + column + 1, offset: start.offset };
  }
  return start;
}

function bySourceOrder(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.code}\u0000${diagnostic.pointer}\u0000${diagnostic.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function failure(file: string, error: unknown, code: 'SW100' | 'SW105' | 'SW900'): CompileResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    diagnostics: [
      {
        code,
        severity: 'error',
        message: code === 'SW900' ? `internal compiler error: ${message}` : message,
        file,
        line: 0,
        column: 0,
        pointer: '',
        taskPath: '',
        ...(code === 'SW900' ? { hint: 'this is a bug in Baton; please report it with the document' } : {}),
      },
    ],
  };
}
