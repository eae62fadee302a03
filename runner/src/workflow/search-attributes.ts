/**
 * Zigflow's task-level `metadata.searchAttributes`: evaluated and upserted when the task starts.
 * Temporal answers an upsert naming an attribute the namespace has not registered by failing the
 * workflow task, which it then retries forever; so the names are checked first, against what a
 * local activity reads from the cluster (once per run), and an unknown name or a type the cluster
 * disagrees with fails the task with a `configuration` error instead.
 */
import { patched, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeKind, SearchAttributeSpec, Task } from '@baton/dsl/runtime';
import { parseTimestamp } from '@baton/dsl/runtime';
import { workflowError } from '../contract/index.ts';
import type { RegisteredSearchAttributes, SearchAttributeActivities } from '../contract/index.ts';
import type { ExpressionArguments } from './expressions.ts';
import type { Execution } from './interpreter.ts';

/** Executions started before search attributes were honoured replay without the upsert. */
export const ZIGFLOW_SEARCH_ATTRIBUTES_PATCH = 'zigflow-search-attributes';

type Update = Extract<Parameters<typeof upsertSearchAttributes>[0], readonly unknown[]>[number];

const SDK_TYPES = {
  text: 'TEXT',
  keyword: 'KEYWORD',
  keywordlist: 'KEYWORD_LIST',
  int: 'INT',
  double: 'DOUBLE',
  bool: 'BOOL',
  datetime: 'DATETIME',
} as const satisfies Record<SearchAttributeKind, string>;

/** How `temporal operator search-attribute create --type` spells them. */
const CLI_TYPES: Record<SearchAttributeKind, string> = {
  text: 'Text',
  keyword: 'Keyword',
  keywordlist: 'KeywordList',
  int: 'Int',
  double: 'Double',
  bool: 'Bool',
  datetime: 'Datetime',
};

const { registeredSearchAttributes } = proxyLocalActivities<SearchAttributeActivities>({
  startToCloseTimeout: 10_000,
  retry: { maximumAttempts: 3 },
  summary: 'the search attributes the cluster knows',
});

/** Asked once per run (keyed by the run's Execution, never shared between workflows). */
const registeredBy = new WeakMap<Execution, Promise<RegisteredSearchAttributes>>();

export async function upsertTaskSearchAttributes(task: Task, input: unknown, args: ExpressionArguments, execution: Execution): Promise<void> {
  const specs = task.searchAttributes;
  if (!specs || specs.length === 0 || !patched(ZIGFLOW_SEARCH_ATTRIBUTES_PATCH)) return;
  const values = specs.map((spec) => ({ spec, value: execution.evaluator.template(spec.value, input, args, task.reference) }));
  let registered = registeredBy.get(execution);
  if (!registered) {
    registered = registeredSearchAttributes();
    registeredBy.set(execution, registered);
  }
  const known = await registered;
  const updates: Update[] = values.map(({ spec, value }) => update(spec, value, known, task.reference));
  upsertSearchAttributes(updates);
}

function update(spec: SearchAttributeSpec, value: unknown, known: RegisteredSearchAttributes, instance: string): Update {
  const registeredKind = known[spec.name];
  if (!registeredKind) {
    throw workflowError('configuration', {
      title: 'Unknown search attribute',
      detail: `the cluster has no search attribute named ${spec.name}; register it first (temporal operator search-attribute create --name ${spec.name} --type ${CLI_TYPES[spec.type]})`,
      instance,
    });
  }
  if (registeredKind !== spec.type) {
    throw workflowError('configuration', {
      title: 'Search attribute type mismatch',
      detail: `${spec.name} is registered as ${registeredKind}, the document says ${spec.type}`,
      instance,
    });
  }
  const converted = value === null || value === undefined ? null : convert(spec, value);
  if (converted === undefined) {
    throw workflowError('expression', {
      title: 'Invalid search attribute value',
      detail: `${spec.name} holds ${spec.type} values and cannot hold ${JSON.stringify(value)}`,
      instance,
    });
  }
  return { key: { name: spec.name, type: SDK_TYPES[spec.type] }, value: converted } as Update;
}

/** Zigflow's conversions: numbers and booleans may be written as strings. Undefined when impossible. */
function convert(spec: SearchAttributeSpec, value: unknown): string | string[] | number | boolean | Date | undefined {
  switch (spec.type) {
    case 'text':
    case 'keyword':
      return typeof value === 'string' ? value : undefined;
    case 'keywordlist':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
    case 'int': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
    }
    case 'double': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
    case 'datetime': {
      const parsed = typeof value === 'string' ? parseTimestamp(value) : undefined;
      return parsed?.ok ? new Date(parsed.epochMs) : undefined;
    }
  }
}
