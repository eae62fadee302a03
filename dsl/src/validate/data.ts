/** `input`, `output` and `export` blocks: their schema (inline JSON Schema only) and transformation. */
import { joinPointer } from '../parse/pointer.ts';
import { checkJsonSchema } from './json-schema.ts';
import type { ValidationContext } from './context.ts';
import { checkTransformation } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { asObject, asString } from '../document/values.ts';

export function checkDataIn(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  const object = asObject(value);
  if (!object) return;
  if (object.schema !== undefined) checkSchema(ctx, object.schema, joinPointer(pointer, 'schema'));
  if (object.from !== undefined) checkTransformation(ctx, object.from, joinPointer(pointer, 'from'), scope);
}

export function checkDataOut(ctx: ValidationContext, value: unknown, pointer: string, scope: Scope): void {
  const object = asObject(value);
  if (!object) return;
  if (object.as !== undefined) checkTransformation(ctx, object.as, joinPointer(pointer, 'as'), scope);
  if (object.schema !== undefined) checkSchema(ctx, object.schema, joinPointer(pointer, 'schema'));
}

function checkSchema(ctx: ValidationContext, value: unknown, pointer: string): void {
  const object = asObject(value);
  if (!object) return;
  const format = asString(object.format) ?? 'json';
  if (object.resource !== undefined) {
    ctx.error('SW501', joinPointer(pointer, 'resource'), 'schemas loaded from an external resource are not supported yet', {
      atKey: true,
      hint: 'inline the schema under `document:`',
    });
    return;
  }
  if (format !== 'json' && !format.startsWith('json:')) {
    ctx.error('SW501', joinPointer(pointer, 'format'), `schema format '${format}' is not supported yet; only JSON Schema is`);
    return;
  }
  if (!Object.hasOwn(object, 'document')) return;
  const problem = checkJsonSchema(object.document);
  if (problem) ctx.error('SW305', joinPointer(pointer, 'document'), `invalid JSON Schema: ${problem}`);
}
