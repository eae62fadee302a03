/** `input`, `output` and `export` blocks: schema plus transformation. */
import type { DataExport, DataIn, DataOut, SchemaSpec } from '../plan.ts';
import { joinPointer } from '../parse/pointer.ts';
import { checkJsonSchema } from '../validate/json-schema.ts';
import type { CompileContext } from './context.ts';
import { transformation } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { asObject, asString } from '../document/values.ts';

export function dataIn(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): DataIn {
  const object = asObject(value);
  if (!object) return {};
  const schema = schemaSpec(ctx, object.schema, joinPointer(pointer, 'schema'));
  const from = transformation(ctx, object.from, joinPointer(pointer, 'from'), scope);
  return { ...(schema ? { schema } : {}), ...(from ? { from } : {}) };
}

export function dataOut(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): DataOut {
  const object = asObject(value);
  if (!object) return {};
  const as = transformation(ctx, object.as, joinPointer(pointer, 'as'), scope);
  const schema = schemaSpec(ctx, object.schema, joinPointer(pointer, 'schema'));
  return { ...(as ? { as } : {}), ...(schema ? { schema } : {}) };
}

export function dataExport(ctx: CompileContext, value: unknown, pointer: string, scope: Scope): DataExport {
  return dataOut(ctx, value, pointer, scope);
}

function schemaSpec(ctx: CompileContext, value: unknown, pointer: string): SchemaSpec | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const format = asString(object.format) ?? 'json';
  if (object.resource !== undefined) {
    ctx.error('SW501', joinPointer(pointer, 'resource'), 'schemas loaded from an external resource are not supported yet', {
      atKey: true,
      hint: 'inline the schema under `document:`',
    });
    return undefined;
  }
  if (format !== 'json' && !format.startsWith('json:')) {
    ctx.error('SW501', joinPointer(pointer, 'format'), `schema format '${format}' is not supported yet; only JSON Schema is`);
    return undefined;
  }
  if (!Object.hasOwn(object, 'document')) return undefined;
  const problem = checkJsonSchema(object.document);
  if (problem) ctx.error('SW305', joinPointer(pointer, 'document'), `invalid JSON Schema: ${problem}`);
  return { format, document: object.document };
}
