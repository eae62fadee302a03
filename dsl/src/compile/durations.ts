/** Duration fields (`wait`, `timeout.after`, retry delays …) → DurationSpec or milliseconds. */
import { isStrictExpression } from '../document/expression-checker.ts';
import { durationToMs } from '../duration.ts';
import type { DurationSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { template } from './expressions.ts';
import { asObject } from '../document/values.ts';

/**
 * Static durations are resolved now; an object with `${ }` fields (Zigflow's dialect) or a
 * `${ }` string stays dynamic and the interpreter resolves it with `durationToMs`.
 */
export function duration(ctx: CompileContext, value: unknown): DurationSpec | undefined {
  if (value === undefined) return undefined;
  const object = asObject(value);
  if (isStrictExpression(value) || (object && Object.values(object).some(isStrictExpression))) return { kind: 'dynamic', value: template(ctx, value) };
  return { kind: 'static', ms: staticMs(value)! };
}

/** A duration known at compile time (retry delays, jitter, limits); validation checked it. */
export function staticMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const result = durationToMs(value);
  return result.ok ? result.ms : undefined;
}
