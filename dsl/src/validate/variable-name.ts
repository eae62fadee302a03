/** Loop variables and `catch.as` names must be usable as jq variables. */
import { VARIABLE_NAME, variableName } from '../document/variable-name.ts';
import type { ValidationContext } from './context.ts';

/** The name as expressions in its scope see it (the fallback when it is not usable, which is reported). */
export function checkVariableName(ctx: ValidationContext, value: unknown, fallback: string, pointer: string): string {
  const name = variableName(value, fallback);
  if (VARIABLE_NAME.test(name)) return name;
  ctx.error('SW306', pointer, `'${String(value)}' is not a usable variable name`, { hint: 'use letters, digits and _ , starting with a letter' });
  return fallback;
}
