/**
 * The JSON Schema Baton validates documents with: the official Serverless Workflow 1.0.0 schema
 * (dsl/schema/workflow-1.0.0.json, extracted from @serverlessworkflow/sdk) plus one documented
 * dialect extension — duration fields may be `${ }` expressions (Zigflow's dynamic durations).
 */
import official from '../../schema/workflow-1.0.0.json' with { type: 'json' };

export const WORKFLOW_SCHEMA_ID = 'https://serverlessworkflow.io/schemas/1.0.0/workflow.json';

type SchemaObject = Record<string, unknown>;

let patched: SchemaObject | undefined;

export function workflowSchema(): SchemaObject {
  if (patched) return patched;
  const schema = structuredClone(official) as SchemaObject;
  const defs = schema.$defs as Record<string, SchemaObject>;
  const inline = (defs.duration!.oneOf as SchemaObject[])[0]!;
  const fields = inline.properties as Record<string, SchemaObject>;
  for (const [name, field] of Object.entries(fields)) {
    fields[name] = {
      ...field,
      type: undefined,
      anyOf: [{ type: 'integer', minimum: 0 }, { $ref: '#/$defs/runtimeExpression' }],
    };
    delete fields[name]!.type;
  }
  schema.$comment = `${String(schema.$comment)} Baton dialect: duration fields may also be runtime expressions.`;
  patched = schema;
  return schema;
}

/** Sub-schemas validated one task at a time when reducing errors, keyed by task kind. */
export const TASK_SCHEMAS: Readonly<Record<string, string>> = {
  'call:asyncapi': '#/$defs/callTask/oneOf/0',
  'call:grpc': '#/$defs/callTask/oneOf/1',
  'call:http': '#/$defs/callTask/oneOf/2',
  'call:openapi': '#/$defs/callTask/oneOf/3',
  'call:function': '#/$defs/callTask/oneOf/4',
  do: '#/$defs/doTask',
  emit: '#/$defs/emitTask',
  for: '#/$defs/forTask',
  fork: '#/$defs/forkTask',
  listen: '#/$defs/listenTask',
  raise: '#/$defs/raiseTask',
  run: '#/$defs/runTask',
  set: '#/$defs/setTask',
  switch: '#/$defs/switchTask',
  try: '#/$defs/tryTask',
  wait: '#/$defs/waitTask',
};

/** Export name of a validator in the generated module ('workflow' or a TASK_SCHEMAS key). */
export function validatorExportName(name: string): string {
  return name === 'workflow' ? 'workflow' : `task_${name.replace(':', '_')}`;
}
