/**
 * Runtime expressions → plan expressions and templates. The document is validated (validate/
 * expressions.ts checked every program), so this only wraps each program for the dialect.
 */
import { isSecrets, mentionsExpression, strictExpression } from '../document/expression-checker.ts';
import type { Expression, Template } from '../plan.ts';
import { dialectProgram } from '../runtime-arguments.ts';
import type { CompileContext } from './context.ts';
import { asArray, asObject } from '../document/values.ts';

function expression(ctx: CompileContext, source: string): Expression {
  return { jq: dialectProgram(source, ctx.dialect) };
}

/** A field whose type is a runtime expression: `${ … }` or bare jq. */
export function runtimeExpression(ctx: CompileContext, value: unknown): Expression | undefined {
  if (typeof value !== 'string') return undefined;
  return expression(ctx, strictExpression(value) ?? value.trim());
}

/** Any JSON value in which strict `${ … }` strings are expressions and everything else is literal. */
export function template(ctx: CompileContext, value: unknown): Template {
  return mentionsExpression(value) ? templateOf(ctx, value) : { kind: 'literal', value };
}

function templateOf(ctx: CompileContext, value: unknown): Template {
  if (typeof value === 'string') {
    const source = strictExpression(value);
    return source === undefined ? { kind: 'literal', value } : { kind: 'expr', expr: expression(ctx, source) };
  }
  const array = asArray(value);
  if (array) {
    const items = array.map((item) => templateOf(ctx, item));
    return items.every((item) => item.kind === 'literal') ? { kind: 'literal', value } : { kind: 'array', items };
  }
  const object = asObject(value);
  if (object) {
    const entries = Object.entries(object).map(([key, item]) => [key, templateOf(ctx, item)] as const);
    return entries.every(([, item]) => item.kind === 'literal') ? { kind: 'literal', value } : { kind: 'object', entries };
  }
  return { kind: 'literal', value };
}

/** The string form of `input.from`/`output.as`/`export.as` is bare-jq-capable; the object form is a template. */
export function transformation(ctx: CompileContext, value: unknown): Template | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'expr', expr: runtimeExpression(ctx, value)! };
  return template(ctx, value);
}

/** Whether any expression in the template reads `$secrets`. */
export function readsSecrets(ctx: CompileContext, value: Template): boolean {
  switch (value.kind) {
    case 'literal':
      return false;
    case 'expr': {
      const result = ctx.expressions.check(value.expr.jq);
      return result.ok && result.freeVariables.some(isSecrets);
    }
    case 'object':
      return value.entries.some(([, entry]) => readsSecrets(ctx, entry));
    case 'array':
      return value.items.some((item) => readsSecrets(ctx, item));
  }
}
