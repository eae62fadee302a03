/** The ExpressionChecker backed by the project's jq engine. */
import { compileJq, JqCapabilityError, JqSyntaxError } from '../jq/index.ts';
import { WORKFLOW_JQ_OPTIONS } from '../workflow-jq.ts';
import type { ExpressionChecker, JqCheck } from './expressions.ts';

const CACHE_LIMIT = 10_000;

/** Compiles with the project's jq engine; results are cached by source across documents. */
export function createJqChecker(): ExpressionChecker {
  const cache = new Map<string, JqCheck>();
  return {
    check(source) {
      const cached = cache.get(source);
      if (cached) return cached;
      const result = checkOnce(source);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(source, result);
      return result;
    },
  };
}

function checkOnce(source: string): JqCheck {
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

