/**
 * The JSON Schemas Baton validates documents with, one per DSL release whose rules differ
 * (schema-version.ts): the official Serverless Workflow schemas (dsl/schema/workflow-<version>.json,
 * extracted from @serverlessworkflow/sdk) plus documented extensions — duration fields may be
 * `${ }` expressions (Zigflow's dynamic durations), HTTP `headers` and `query` may be one runtime
 * expression (the specification's 1.0.3 examples write them so), and under the 1.0.0 rules `set`
 * may be one runtime expression (DSL 1.0.1+ allows any string there), and `wait` may be Zigflow's
 * `{ until: <timestamp> }` (refused by the compiler outside its dialect).
 */
import official100 from '../../schema/workflow-1.0.0.json' with { type: 'json' };
import official103 from '../../schema/workflow-1.0.3.json' with { type: 'json' };
import { TASK_KEYS } from '../document/task-kind.ts';
import { NEWEST_SCHEMA } from './schema-version.ts';
import type { SchemaVersion } from './schema-version.ts';

const OFFICIAL: Readonly<Record<SchemaVersion, unknown>> = { '1.0.0': official100, '1.0.3': official103 };

export function workflowSchemaId(version: SchemaVersion): string {
  return `https://serverlessworkflow.io/schemas/${version}/workflow.json`;
}

type SchemaObject = Record<string, unknown>;

const patched = new Map<SchemaVersion, SchemaObject>();

/** The schema for one DSL release's rules; the newest by default (what `baton schema` prints). */
export function workflowSchema(version: SchemaVersion = NEWEST_SCHEMA): SchemaObject {
  const cached = patched.get(version);
  if (cached) return cached;
  const schema = structuredClone(OFFICIAL[version]) as SchemaObject;
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
  if (version === '1.0.0') allowSetExpression(defs);
  acceptLaterPatchVersions(defs);
  allowWaitUntil(defs);
  dispatchTasksByKind(defs, version);
  schema.$comment = `${String(schema.$comment)} Baton: duration fields may also be runtime expressions; HTTP \`headers\` and \`query\` may be one runtime expression (as in the DSL 1.0.3 examples)${version === '1.0.0' ? ', and so may `set` (as in DSL 1.0.1+)' : ''}; \`wait\` may be Zigflow's \`{ until: <RFC 3339 timestamp> }\` (its dialect only); task kinds are chosen by their defining key (if/then) instead of oneOf.`;
  patched.set(version, schema);
  return schema;
}

/** A task definition's own properties: beside `$ref: taskBase` in 1.0.0, in `allOf[1]` from 1.0.1. */
function ownProperties(definition: SchemaObject): Record<string, SchemaObject> {
  if (definition.properties) return definition.properties as Record<string, SchemaObject>;
  const own = (definition.allOf as SchemaObject[] | undefined)?.find((part) => part.properties !== undefined);
  if (!own) throw new Error(`schema definition '${String(definition.title)}' has no properties of its own`);
  return own.properties as Record<string, SchemaObject>;
}

/**
 * DSL 1.0.0's schema allows only an object for `set`; later 1.0.x releases also allow a single
 * runtime expression whose result becomes the task's output (`set: '${ .a + .b }'`).
 */
function allowSetExpression(defs: Record<string, SchemaObject>): void {
  const properties = ownProperties(defs.setTask!);
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
  const args = (ownProperties(http).with!.properties ?? {}) as Record<string, SchemaObject>;
  for (const name of ['headers', 'query']) {
    const { title, description, ...shape } = args[name]!;
    args[name] = { title, description, oneOf: [shape, { $ref: '#/$defs/runtimeExpression' }] };
  }
}

/**
 * Zigflow's `wait: { until: <timestamp> }`. The schema accepts its shape in every document so
 * the compiler can say why a specification document may not use it (SW202) rather than the
 * schema listing every duration field.
 */
function allowWaitUntil(defs: Record<string, SchemaObject>): void {
  const properties = ownProperties(defs.waitTask!);
  const durationForm = properties.wait!;
  const until: SchemaObject = {
    title: 'WaitUntil',
    description: "Zigflow's dialect: wait until an RFC 3339 timestamp (or a ${ } expression giving one).",
    type: 'object',
    required: ['until'],
    additionalProperties: false,
    properties: { until: { type: 'string' } },
  };
  properties.wait = { title: durationForm.title, description: durationForm.description, oneOf: [durationForm, until] };
}

/**
 * The official `task` is a `oneOf` over twelve kinds, each with `unevaluatedProperties`, so every
 * task is validated twelve times and a mistake yields errors from all twelve. A task's kind is
 * told by its defining key (TASK_KEYS), so an if/then chain on that key checks exactly the same
 * constraints for the kind the task names, once. A body naming no kind fails the final `false`
 * (the compiler reports it as SW205). `call` tasks dispatch the same way on the `call` value.
 */
function dispatchTasksByKind(defs: Record<string, SchemaObject>, version: SchemaVersion): void {
  const kinds: readonly (readonly [string, SchemaObject])[] = TASK_KEYS.map((key) => [key, { $ref: `#/$defs/${key}Task` }]);
  defs.task = { title: defs.task!.title, description: defs.task!.description, ...chain(kinds.map(([key, then]) => [{ required: [key] }, then]), false) };
  const calls = defs.callTask!.oneOf as SchemaObject[];
  const names = CALL_DEFS[version];
  if (calls.length !== names.length) throw new Error(`the DSL ${version} schema has ${calls.length} kinds of call, expected ${names.length}`);
  names.forEach((name, index) => {
    defs[name] = calls[index]!;
  });
  const byProtocol = names.slice(0, -1).map((name): [SchemaObject, SchemaObject] => {
    const call = ownProperties(defs[name]!).call!;
    return [{ properties: { call: { const: call.const } } }, { $ref: `#/$defs/${name}` }];
  });
  defs.callTask = { title: defs.callTask!.title, description: defs.callTask!.description, ...chain(byProtocol, { $ref: '#/$defs/callFunction' }) };
}

/** The official callTask `oneOf` branches, in order, moved to named definitions; `callFunction` last. */
const CALL_DEFS: Readonly<Record<SchemaVersion, readonly string[]>> = {
  '1.0.0': ['callAsyncAPI', 'callGRPC', 'callHTTP', 'callOpenAPI', 'callFunction'],
  '1.0.3': ['callAsyncAPI', 'callGRPC', 'callHTTP', 'callOpenAPI', 'callA2A', 'callMCP', 'callFunction'],
};

/** Protocols that have their own `call` definition under a release's rules (the rest are functions). */
export function callProtocols(version: SchemaVersion): readonly string[] {
  return Object.keys(TASK_SCHEMAS[version]).filter((kind) => kind.startsWith('call:') && kind !== 'call:function').map((kind) => kind.slice(5));
}

function chain(cases: readonly (readonly [SchemaObject, SchemaObject])[], otherwise: SchemaObject | boolean): SchemaObject {
  const [first, ...rest] = cases;
  if (!first) return typeof otherwise === 'boolean' ? { not: {} } : otherwise;
  return { if: first[0], then: first[1], else: rest.length > 0 ? chain(rest, otherwise) : typeof otherwise === 'boolean' ? { not: {} } : otherwise };
}

const TASK_SCHEMAS_100: Readonly<Record<string, string>> = {
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

/** Sub-schemas validated one task at a time when reducing errors, keyed by task kind. */
export const TASK_SCHEMAS: Readonly<Record<SchemaVersion, Readonly<Record<string, string>>>> = {
  '1.0.0': TASK_SCHEMAS_100,
  '1.0.3': { ...TASK_SCHEMAS_100, 'call:a2a': '#/$defs/callA2A', 'call:mcp': '#/$defs/callMCP' },
};

/** Export name of a validator in a generated module ('workflow' or a TASK_SCHEMAS key). */
export function validatorExportName(name: string): string {
  return name === 'workflow' ? 'workflow' : `task_${name.replace(':', '_')}`;
}
