import { joinPointer } from '../../parse/pointer.ts';
import type { ForTask } from '../../plan.ts';
import type { CompileContext } from '../context.ts';
import { extendScope, runtimeExpression } from '../expressions.ts';
import { compileTaskList } from '../task-list.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A loop variable or `catch.as` name; written with or without the leading `$`. */
export function variableName(ctx: CompileContext, value: unknown, fallback: string, pointer: string): string {
  const written = asString(value);
  if (written === undefined) return fallback;
  const name = written.startsWith('$') ? written.slice(1) : written;
  if (!VARIABLE_NAME.test(name)) {
    ctx.error('SW306', pointer, `'${written}' is not a usable variable name`, { hint: 'use letters, digits and _ , starting with a letter' });
    return fallback;
  }
  return name;
}

export const forTask: TaskCompiler = (site, base): ForTask | undefined => {
  const { ctx, pointer, scope } = site;
  const loop = asObject(site.body.for);
  if (!loop) return undefined;
  const forPointer = joinPointer(pointer, 'for');
  const each = variableName(ctx, loop.each, 'item', joinPointer(forPointer, 'each'));
  const at = variableName(ctx, loop.at, 'index', joinPointer(forPointer, 'at'));
  const collection = runtimeExpression(ctx, loop.in, joinPointer(forPointer, 'in'), scope);
  const inner = extendScope(scope, each, at);
  const condition = runtimeExpression(ctx, site.body.while, joinPointer(pointer, 'while'), inner);
  const body = compileTaskList(ctx, site.body.do, joinPointer(pointer, 'do'), inner, site.siblings);
  if (!collection) return undefined;
  return { ...base, kind: 'for', each, at, in: collection, ...(condition ? { while: condition } : {}), do: body };
};
