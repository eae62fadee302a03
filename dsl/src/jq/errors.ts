import type { JqBudget } from './budget.ts';

/** The expression is not valid jq; position is 1-based within the expression. */
export class JqSyntaxError extends Error {
  readonly code = 'JQ_SYNTAX';
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  constructor(message: string, source: string, offset: number) {
    const { line, column } = lineColumn(source, offset);
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JqSyntaxError';
    this.line = line;
    this.column = column;
    this.offset = offset;
  }
}

/**
 * The program uses a host capability (`now`, `env`, `input` …) its compilation did not grant
 * (JqCompileOptions.host); position is 1-based within the expression.
 */
export class JqCapabilityError extends Error {
  readonly code = 'JQ_CAPABILITY';
  readonly capability: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  constructor(capability: string, source: string, offset: number) {
    const { line, column } = lineColumn(source, offset);
    super(`\`${capability}\` reads the host, which this program may not do, at line ${line}, column ${column}`);
    this.name = 'JqCapabilityError';
    this.capability = capability;
    this.line = line;
    this.column = column;
    this.offset = offset;
  }
}

/** An error raised while evaluating, carrying jq's error value (what `try ... catch .` would see). */
export class JqRuntimeError extends Error {
  readonly code = 'JQ_RUNTIME';
  readonly value: unknown;
  constructor(value: unknown, message?: string) {
    super(message ?? runtimeMessage(value));
    this.name = 'JqRuntimeError';
    this.value = value;
  }
}

/** The evaluation went over one of its limits; never catchable by jq's `try`. */
export class JqBudgetError extends Error {
  readonly code = 'JQ_BUDGET';
  readonly limit: keyof JqBudget;
  readonly source: string;
  /** Where evaluation was when the limit was hit (1-based, within the expression). */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  constructor(limit: keyof JqBudget, max: number, source: string, offset = 0) {
    const { line, column } = lineColumn(source, offset);
    super(`jq expression exceeded its ${limit} budget (${max}) at line ${line}, column ${column}: ${abbreviate(source)}`);
    this.name = 'JqBudgetError';
    this.limit = limit;
    this.source = source;
    this.line = line;
    this.column = column;
    this.offset = offset;
  }
}

/** Thrown by `break $label`; caught only by the matching `label` evaluation. */
export class BreakSignal {
  constructor(
    readonly label: object,
    readonly index: number,
  ) {}
}

function runtimeMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return `${text} (not a string)`;
}

function abbreviate(source: string): string {
  const oneLine = source.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** `halt_error`: ends the program with a value; jq's `try` does not catch it. */
export class JqHaltError extends JqRuntimeError {
  constructor(value: unknown) {
    super(value, typeof value === 'string' ? value : undefined);
    this.name = 'JqHaltError';
  }
}
