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

/** The schema's `DurationLiteral` pattern (dsl/schema/workflow-*.json, `$defs.duration`). */
const DURATION_LITERAL = /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** A static duration of a shape the schema accepts, so what is wrong with it is not the schema's to say. */
function schemaShaped(value: unknown): boolean {
  if (typeof value === 'string') return DURATION_LITERAL.test(value);
  const object = asObject(value);
  if (!object) return false;
  const entries = Object.entries(object);
  return entries.length > 0 && entries.every(([key, field]) => (DURATION_FIELDS as readonly string[]).includes(key) && Number.isInteger(field));
}

/**
 * A duration that must be known at compile time (retry delays, jitter, limits). The schema faults
 * a wrong shape, so only lengths it cannot judge are faulted here (years or months, over 100
 * years, negative); `schemaShapes` is false where the schema leaves the field open
 * (`backoff.linear.increment`), so every malformed value is this rule's to fault.
 */
export function staticMs(ctx: CompileContext, value: unknown, pointer: string, schemaShapes = true): number | undefined {
  if (value === undefined) return undefined;
  if (isStrictExpression(value)) {
    // DSL 1.0.0's schema has no whole-duration expressions, and faults this one itself.
    if (!schemaShapes || ctx.schemaVersion !== '1.0.0') ctx.error('SW303', pointer, 'this duration must be a fixed value, not an expression');
    return undefined;
  }
  if (schemaShapes ? !schemaShaped(value) : typeof value !== 'string' && !asObject(value)) return undefined;
  const result = durationToMs(value);
  if (!result.ok) {
    ctx.error('SW303', pointer, result.message);
    return undefined;
  }
  return result.ms;
}
