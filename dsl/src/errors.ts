/**
 * The DSL's diagnostic codes: one stable code per kind of problem, so callers (the CLI, the gRPC
 * service, editors) can branch on them. docs/dsl.md lists the same table for humans; a test keeps
 * the two in step. Codes are never reused or renumbered once released.
 */

export const DIAGNOSTIC_CODES = {
  // SW1xx — the source text is not a single, sane YAML/JSON document.
  SW100: 'YAML or JSON syntax error',
  SW101: 'the source must hold exactly one document',
  SW102: 'duplicate key in a mapping',
  SW103: 'anchors/aliases expand beyond the allowed bound',
  SW104: 'document larger than the allowed size',
  SW105: 'the document root must be a mapping',
  SW106: 'nesting deeper than the allowed depth',
  SW107: 'mapping keys must be strings',
  // SW2xx — the document does not match the Serverless Workflow 1.0 schema.
  SW200: 'schema violation',
  SW201: 'required property missing',
  SW202: 'property not allowed here',
  SW203: 'value has the wrong type',
  SW204: 'value not allowed (enum, pattern or format)',
  SW205: 'not a known kind of task',
  SW206: 'unsupported DSL version',
  // SW3xx — the document is well-formed but does not make sense.
  SW300: 'duplicate task name in a task list',
  SW301: 'flow directive names no sibling task',
  SW302: 'more than one default case in a switch',
  SW303: 'invalid duration',
  SW304: 'reference to an undefined reusable component',
  SW305: 'invalid JSON Schema',
  SW306: 'invalid variable name',
  SW307: 'invalid value for a field',
  SW308: 'task can never run (warning)',
  // SW4xx — runtime expressions.
  SW400: 'jq syntax error',
  SW401: 'non-deterministic expression',
  SW402: 'expression uses an undefined variable',
  SW403: 'text with `${ }` inside is a literal, not an expression (warning)',
  SW405: 'secret used where its value would be recorded in history',
  // SW5xx — valid Serverless Workflow that Baton does not execute yet.
  SW500: 'task kind not supported yet',
  SW501: 'feature not supported yet',
  // SW9xx — a bug in Baton, never the document's fault.
  SW900: 'internal compiler error',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** The file name given to the compiler, or `<input>`. */
  readonly file: string;
  /** 1-based; 0 when the problem has no position (for example an oversize document). */
  readonly line: number;
  readonly column: number;
  /** JSON pointer of the offending node in the document (`/do/1/fetchUser/then`). */
  readonly pointer: string;
  /** Human path of the enclosing task and field (`do[1].fetchUser.then`), or '' outside tasks. */
  readonly taskPath: string;
  readonly hint?: string;
}

/** A problem as the stages find it: a pointer into the document, turned into a Diagnostic with a position at the end. */
export interface Problem {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly pointer: string;
  /** Point at the mapping key rather than its value (for "not allowed here" style problems). */
  readonly atKey?: boolean;
  /** For expression errors: the expression text and the offset inside it, to refine the position. */
  readonly within?: { readonly text: string; readonly offset: number };
  readonly hint?: string;
}
