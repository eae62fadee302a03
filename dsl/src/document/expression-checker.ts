/**
 * Which strings are runtime expressions, and the checker that compiles each jq program with the
 * project's jq engine (WORKFLOW_JQ_OPTIONS: the one place that says which host capabilities a
 * workflow expression may use). Validation reads its verdicts; compilation its free variables.
 */
import { compileJq, JqCapabilityError, JqSyntaxError } from '../jq/index.ts';
import { WORKFLOW_JQ_OPTIONS } from '../workflow-jq.ts';

/**
 * The jq inside `${ … }` (the whole string, blanks around it aside), or undefined when the string
 * is not a strict expression. `trim` removes exactly what `\s` matches.
 */
export function strictExpression(text: string): string | undefined {
  const whole = text.trim();
  return whole.startsWith('${') && whole.endsWith('}') ? whole.slice(2, -1).trim() : undefined;
}

export function isStrictExpression(value: unknown): value is string {
  return typeof value === 'string' && strictExpression(value) !== undefined;
}

/**
 * Whether any string in the value contains `${`: only such a value can hold an expression (or
 * text that looks like one), so a literal one is taken whole without walking it key by key.
 */
export function mentionsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(mentionsExpression);
  for (const key in value) if (mentionsExpression((value as Record<string, unknown>)[key])) return true;
  return false;
}

export type JqCheck =
  | { readonly ok: true; readonly freeVariables: readonly string[] }
  | { readonly ok: false; readonly problem: 'syntax'; readonly message: string; readonly offset: number }
  | { readonly ok: false; readonly problem: 'host'; readonly capability: string; readonly offset: number };

export interface ExpressionChecker {
  check(source: string): JqCheck;
}

/**
 * The checker validation and compilation use. It keeps nothing itself: compileJq keeps every
 * program it compiled, so checking an expression again costs a lookup.
 */
export function sharedJqChecker(): ExpressionChecker {
  return JQ_CHECKER;
}

const JQ_CHECKER: ExpressionChecker = { check: checkExpression };

function checkExpression(source: string): JqCheck {
  try {
    const program = compileJq(source, WORKFLOW_JQ_OPTIONS);
    return { ok: true, freeVariables: program.freeVariables };
  } catch (error: unknown) {
    if (error instanceof JqSyntaxError) {
      return { ok: false, problem: 'syntax', message: error.message.replace(/ at line \d+, column \d+$/, ''), offset: error.offset };
    }
    if (error instanceof JqCapabilityError) return { ok: false, problem: 'host', capability: error.capability, offset: error.offset };
    // The engine promises JqSyntaxError; anything else is its bug, reported as a syntax problem
    // rather than crashing validation.
    return { ok: false, problem: 'syntax', message: `the jq engine rejected the expression: ${String(error)}`, offset: 0 };
  }
}

export function isSecrets(variable: string): boolean {
  return variable === 'secrets' || variable === '$secrets';
}
