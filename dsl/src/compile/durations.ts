/** Duration fields (`wait`, `timeout.after`, retry delays …) → DurationSpec or milliseconds. */
import { DURATION_FIELDS, durationToMs } from '../duration.ts';
import type { DurationSpec } from '../plan.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { CompileContext } from './context.ts';
import { isStrictExpression, template } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject } from '../document/values.ts';

/**
 * Static durations are resolved now; an object with `${ }` fields (Zigflow's dialect) or a
 * `${ }` string stays dynamic and the interpreter resolves it with `durationToMs`.
 */
export function duration(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): DurationSpec | undefined {
  if (value === undefined) return undefined;
  if (isStrictExpression(value)) return { kind: 'dynamic', value: template(ctx, value, pointer, scope) };
  const object = asObject(value);
  if (object && Object.values(object).some(isStrictExpression)) {
    for (const key of Object.keys(object)) {
      if (!(DURATION_FIELDS as readonly string[]).includes(key)) {
        ctx.error('SW303', joinPointer(pointer, key), `unknown duration field '${key}'`, { atKey: true, hint: didYouMean(key, DURATION_FIELDS) });
      }
    }
    return { kind: 'dynamic', value: template(ctx, value, pointer, scope) };
  }
  const ms = staticMs(ctx, value, pointer);
  return ms === undefined ? undefined : { kind: 'static', ms };
}

/** A duration that must be known at compile time (retry delays, jitter, limits). */
export function staticMs(ctx: CompileContext, value: unknown, pointer: string): number | undefined {
  if (value === undefined) return undefined;
  if (isStrictExpression(value)) {
    ctx.error('SW303', pointer, 'this duration must be a fixed value, not an expression');
    return undefined;
  }
  // Schema checks report wrong shapes; only well-shaped durations with bad content land here.
  if (typeof value !== 'string' && !asObject(value)) return undefined;
  const result = durationToMs(value);
  if (!result.ok) {
    ctx.error('SW303', pointer, result.message);
    return undefined;
  }
  return result.ms;
}
