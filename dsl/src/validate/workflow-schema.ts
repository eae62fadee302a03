/**
 * The JSON Schema Baton validates documents with: the official Serverless Workflow 1.0.0 schema
 * (dsl/schema/workflow-1.0.0.json, extracted from @serverlessworkflow/sdk) plus documented
 * extensions — duration fields may be `${ }` expressions (Zigflow's dynamic durations), and `set`,
 * HTTP `headers` and `query` may be one runtime expression (allowed by later 1.0.x releases).
 */
import official from '../../schema/workflow-1.0.0.json' with { type: 'json' };
import { TASK_KEYS } from '../document/task-kind.ts';

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
  allowSetExpression(defs);
  acceptLaterPatchVersions(defs);
  dispatchTasksByKind(defs);
  schema.$comment = `${String(schema.$comment)} Baton: duration fields may also be runtime expressions; \`set\`, HTTP \`headers\` and \`query\` may be one runtime expression (as in DSL 1.0.1+); task kinds are chosen by their defining key (if/then) instead of oneOf.`;
  patched = schema;
  return schema;
}

/**
 * DSL 1.0.0's schema allows only an object for `set`; later 1.0.x releases also allow a single
 * runtime expression whose result becomes the task's output (`set: '${ .a + .b }'`).
 */
function allowSetExpression(defs: Record<string, SchemaObject>): void {
  const properties = defs.setTask!.properties as Record<string, SchemaObject>;
  const objectForm = properties.set!;
  properties.set = { title: objectForm.title, description: objectForm.description, oneOf: [objectForm, { $ref: '#/$defs/runtimeExpression' }] };
}

/**
 * Documents may declare any 1.0.x DSL. Where a later 1.0 patch relaxed a field that Baton runs,
 * accept the relaxed form: HTTP `headers` and `query` may be a whole `${ }` expression (the
 * specification's 1.0.3 examples write `headers: ${ .headers }`).
 */
function acceptLaterPatchVersions(defs: Record<string, SchemaObject>): void {
  const http = (defs.callTask!.oneOf as SchemaObject[]).find((branch) => branch.title === 'CallHTTP')!;
  const args = ((http.properties as Record<string, SchemaObject>).with!.properties ?? {}) as Record<string, SchemaObject>;
  for (const name of ['headers', 'query']) {
    const { title, description, ...shape } = args[name]!;
    args[name] = { title, description, oneOf: [shape, { $ref: '#/$defs/runtimeExpression' }] };
  }
}

/**
 * The official `task` is a `oneOf` over twelve kinds, each with `unevaluatedProperties`, so every
 * task is validated twelve times and a mistake yields errors from all twelve. A task's kind is
 * told by its defining key (TASK_KEYS), so an if/then chain on that key checks exactly the same
 * constraints for the kind the task names, once. A body naming no kind fails the final `false`
 * (the compiler reports it as SW205). `call` tasks dispatch the same way on the `call` value.
 */
function dispatchTasksByKind(defs: Record<string, SchemaObject>): void {
  const kinds: readonly (readonly [string, SchemaObject])[] = TASK_KEYS.map((key) => [key, { $ref: `#/$defs/${key}Task` }]);
  defs.task = { title: defs.task!.title, description: defs.task!.description, ...chain(kinds.map(([key, then]) => [{ required: [key] }, then]), false) };
  const calls = defs.callTask!.oneOf as SchemaObject[];
  CALL_DEFS.forEach((name, index) => {
    defs[name] = calls[index]!;
  });
  const byProtocol = CALL_DEFS.slice(0, 4).map((name): [SchemaObject, SchemaObject] => {
    const call = (defs[name]!.properties as Record<string, SchemaObject>).call!;
    return [{ properties: { call: { const: call.const } } }, { $ref: `#/$defs/${name}` }];
  });
  defs.callTask = { title: defs.callTask!.title, description: defs.callTask!.description, ...chain(byProtocol, { $ref: '#/$defs/callFunction' }) };
}

/** The official callTask `oneOf` branches, in order, moved to named definitions. */
const CALL_DEFS = ['callAsyncAPI', 'callGRPC', 'callHTTP', 'callOpenAPI', 'callFunction'] as const;

function chain(cases: readonly (readonly [SchemaObject, SchemaObject])[], otherwise: SchemaObject | boolean): SchemaObject {
  const [first, ...rest] = cases;
  if (!first) return typeof otherwise === 'boolean' ? { not: {} } : otherwise;
  return { if: first[0], then: first[1], else: rest.length > 0 ? chain(rest, otherwise) : typeof otherwise === 'boolean' ? { not: {} } : otherwise };
}

/** Sub-schemas validated one task at a time when reducing errors, keyed by task kind. */
export const TASK_SCHEMAS: Readonly<Record<string, string>> = {
  'call:asyncapi': '#/$defs/callAsyncAPI',
  'call:grpc': '#/$defs/callGRPC',
  'call:http': '#/$defs/callHTTP',
  'call:openapi': '#/$defs/callOpenAPI',
  'call:function': '#/$defs/callFunction',
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
