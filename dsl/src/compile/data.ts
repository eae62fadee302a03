/** `input`, `output` and `export` blocks: schema plus transformation. */
import type { DataExport, DataIn, DataOut, SchemaSpec } from '../plan.ts';
import type { CompileContext } from './context.ts';
import { transformation } from './expressions.ts';
import { asObject, asString } from '../document/values.ts';

export function dataIn(ctx: CompileContext, value: unknown): DataIn {
  const object = asObject(value);
  if (!object) return {};
  const schema = schemaSpec(object.schema);
  const from = transformation(ctx, object.from);
  return { ...(schema ? { schema } : {}), ...(from ? { from } : {}) };
}

export function dataOut(ctx: CompileContext, value: unknown): DataOut {
  const object = asObject(value);
  if (!object) return {};
  const as = transformation(ctx, object.as);
  const schema = schemaSpec(object.schema);
  return { ...(as ? { as } : {}), ...(schema ? { schema } : {}) };
}

export function dataExport(ctx: CompileContext, value: unknown): DataExport {
  return dataOut(ctx, value);
}

function schemaSpec(value: unknown): SchemaSpec | undefined {
  const object = asObject(value);
  if (!object || !Object.hasOwn(object, 'document')) return undefined;
  return { format: asString(object.format) ?? 'json', document: object.document };
}
