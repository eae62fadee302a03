/**
 * Duration fields (`wait`, `timeout.after`, retry delays …). The schema checks their shape; these
 * rules check what it cannot: lengths (no years or months, at most 100 years), fixed values where
 * an expression cannot be resolved, and the fields of Zigflow's dynamic duration objects.
 */
import { isStrictExpression } from '../document/expression-checker.ts';
import { DURATION_FIELDS, durationToMs } from '../duration.ts';
import { joinPointer } from '../parse/pointer.ts';
import type { ValidationContext } from './context.ts';
import { checkTemplate } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { didYouMean } from '../document/suggest.ts';
import { asObject } from '../document/values.ts';

/** The schema's `DurationLiteral` pattern (dsl/schema/workflow-*.json, `$defs.duration`); its inline fields are integers ≥ 0 (validate/workflow-schema.ts). */
const DURATION_LITERAL = /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** A static duration of a shape the schema accepts, so what is wrong with it is not the schema's to say. */
function schemaShaped(value: unknown): boolean {
  if (typeof value === 'string') return DURATION_LITERAL.test(value);
  const object = asObject(value);
  if (!object) return false;
  const entries = Object.entries(object);
  return entries.length > 0 && entries.every(([key, field]) => (DURATION_FIELDS as readonly string[]).includes(key) && Number.isInteger(field) && (field as number) >= 0);
}

/** A duration that may be an expression (or, in Zigflow's dialect, an object with `${ }` fields). */
export function checkDuration(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  if (value === undefined) return;
  if (isStrictExpression(value)) {
    checkTemplate(ctx, value, pointer, scope);
    return;
  }
  const object = asObject(value);
  if (object && Object.values(object).some(isStrictExpression)) {
    for (const key of Object.keys(object)) {
      if (!(DURATION_FIELDS as readonly string[]).includes(key)) {
        ctx.error('SW303', joinPointer(pointer, key), `unknown duration field '${key}'`, { atKey: true, hint: didYouMean(key, DURATION_FIELDS) });
      }
    }
    checkTemplate(ctx, value, pointer, scope);
    return;
  }
  checkStaticDuration(ctx, value, pointer);
}

/**
 * A duration that must be known at compile time (retry delays, jitter, limits); its milliseconds
 * when valid. `schemaShapes` is false where the schema leaves the field open (`backoff.linear`),
 * so every shape is this rule's to fault.
 */
export function checkStaticDuration(ctx: ValidationContext, value: unknown, pointer: string, schemaShapes = true): number | undefined {
  if (value === undefined) return undefined;
  if (isStrictExpression(value)) {
    // DSL 1.0.0's schema has no whole-duration expressions, and faults this one itself.
    if (!schemaShapes || ctx.schemaVersion !== '1.0.0') ctx.error('SW303', pointer, 'this duration must be a fixed value, not an expression');
    return undefined;
  }
  if (schemaShapes && !schemaShaped(value)) return undefined;
  const result = durationToMs(value);
  if (!result.ok) {
    ctx.error('SW303', pointer, result.message);
    return undefined;
  }
  return result.ms;
}
