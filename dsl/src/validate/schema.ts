/**
 * Schema validation with errors a person can act on:
 * 1. tasks are dispatched on the key that names their kind (see workflow-schema.ts), and a task
 *    that fails is validated again with its kind's own sub-schema so its errors come only from
 *    that kind; a body naming no kind is the compiler's SW205 and the schema stays quiet about it;
 * 2. inside a kind, each failed `oneOf`/`anyOf` keeps the errors of the branch that got furthest
 *    into the value, and alternatives that all rejected the value's type or text become one
 *    sentence.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DiagnosticCode } from '../errors.ts';
import { joinPointer, pointerAndAncestors, splitPointer } from '../parse/pointer.ts';
import { didYouMean } from '../document/suggest.ts';
import type { Problem } from '../errors.ts';
import { indexTasks, owningTask } from './task-index.ts';
import type { TaskIndex } from './task-index.ts';
import { schemaVersionFor } from './schema-version.ts';
import type { SchemaVersion } from './schema-version.ts';
import { validator } from './validators.ts';

const TASK_BASE_KEYS = ['if', 'input', 'output', 'export', 'timeout', 'then', 'metadata'];

export function validateSchema(value: unknown): Problem[] {
  const version = schemaVersionFor((value as { document?: { dsl?: unknown } } | null)?.document?.dsl);
  const validate = validator(version, 'workflow');
  if (validate(value)) return [];
  const index = indexTasks(value, version);
  const outside: ErrorObject[] = [];
  const failedTasks = new Set<string>();
  for (const error of validate.errors ?? []) {
    const task = owningTask(error.instancePath, index);
    if (task === undefined) outside.push(error);
    else failedTasks.add(task);
  }
  const problems = reduce(outside);
  for (const task of failedTasks) problems.push(...taskProblems(task, value, index, version));
  // A list item with two keys is an indentation slip; everything else said about it is noise.
  const slips = new Set((validate.errors ?? []).filter(isIndentationSlip).map((error) => error.instancePath));
  const insideSlip = (pointer: string) => pointerAndAncestors(pointer).some((prefix) => slips.has(prefix));
  return dedupe(problems).filter((problem) => (problem.code === 'SW200' && slips.has(problem.pointer)) || !insideSlip(problem.pointer));
}

function taskProblems(pointer: string, root: unknown, index: TaskIndex, version: SchemaVersion): Problem[] {
  const kind = index.get(pointer);
  if (kind === undefined) return [];
  const validate = validator(version, kind);
  const body = valueAt(root, pointer);
  if (validate(body)) return [];
  const own = (validate.errors ?? [])
    .map((error) => ({ ...error, instancePath: pointer + error.instancePath }))
    .filter((error) => owningTask(error.instancePath, index) === pointer);
  return reduce(own);
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const key of splitPointer(pointer)) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}


const CHOICE = new Set(['oneOf', 'anyOf']);
const MISMATCH = new Set(['type', 'const', 'enum', 'not']);

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length;
}

function under(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

/** An ajv error, or a choice already reduced to one problem (kept so outer choices see its depth). */
type Item = ErrorObject | (Problem & { readonly instancePath: string; readonly keyword: '$reduced' });

/** Reduce ajv's errors to the ones a person needs, as problems. */
function reduce(errors: readonly ErrorObject[]): Problem[] {
  const choices = errors.filter((error) => CHOICE.has(error.keyword)).sort((a, b) => depth(b.instancePath) - depth(a.instancePath));
  let remaining: Item[] = errors.filter((error) => !CHOICE.has(error.keyword) && error.keyword !== 'if');
  for (const choice of choices) {
    const at = choice.instancePath;
    const candidates = remaining.filter((item) => under(item.instancePath, at));
    if (candidates.length === 0) continue;
    remaining = remaining.filter((item) => !under(item.instancePath, at));
    const deeper = candidates.filter((item) => item.instancePath !== at);
    if (deeper.length > 0) {
      // The branch that accepted the value's shape went further in; its errors are the useful ones.
      remaining.push(...deeper);
      continue;
    }
    const raw = candidates.filter((item): item is ErrorObject => item.keyword !== '$reduced');
    // "not an expression" is a mismatch too when the alternative was another type.
    const substantive = candidates.filter((item) => item.keyword === '$reduced' || (!MISMATCH.has(item.keyword) && !isExpressionPattern(item as ErrorObject)));
    const malformed = substantive.filter((item): item is ErrorObject => item.keyword === 'pattern' || item.keyword === 'format');
    if (malformed.length > 1 && malformed.length === substantive.length) {
      // Several textual forms rejected the same string (URI, URI template …): one sentence.
      remaining.push({ ...malformedText(at, malformed, choice), instancePath: at, keyword: '$reduced' });
      continue;
    }
    if (substantive.length > 0 && substantive.length <= 3) {
      remaining.push(...substantive);
      continue;
    }
    remaining.push({ ...alternatives(at, raw, choice), instancePath: at, keyword: '$reduced' });
  }
  return remaining
    .filter((item) => item.keyword !== 'not')
    .map((item) => (item.keyword === '$reduced' ? stripItem(item as Problem & { instancePath: string }) : toProblem(item as ErrorObject)));
}

function stripItem({ instancePath: _instancePath, keyword: _keyword, ...problem }: Problem & { instancePath: string; keyword?: string }): Problem {
  return problem;
}

function malformedText(pointer: string, errors: readonly ErrorObject[], choice: ErrorObject): Problem {
  const title = typeof choice.parentSchema?.title === 'string' ? humanTitle(choice.parentSchema.title) : 'value';
  const written = typeof errors[0]!.data === 'string' ? `'${errors[0]!.data}'` : 'the value';
  const uri = errors.some((error) => /uri/i.test(String(error.params.format ?? '')) || /uri/i.test(String(error.parentSchema?.title ?? '')));
  return {
    code: 'SW204',
    severity: 'error',
    message: `${written} is not a valid ${title}`,
    pointer,
    ...(uri ? { hint: 'write an absolute URI with its scheme, e.g. https://example.com/users/{id}, or a ${ } expression' } : {}),
  };
}

/** One sentence for a value that matched none of a choice's alternatives. */
function alternatives(pointer: string, candidates: readonly ErrorObject[], choice: ErrorObject): Problem {
  const types = [...new Set(candidates.filter((error) => error.keyword === 'type').map((error) => String(error.params.type)))];
  const title = typeof choice.parentSchema?.title === 'string' ? choice.parentSchema.title : undefined;
  const what = title ? `a ${humanTitle(title)}` : 'a valid value';
  if (candidates.some(isExpressionPattern)) types.push('a ${ } expression');
  if (types.length > 0 && candidates.every((error) => MISMATCH.has(error.keyword) || isExpressionPattern(error))) {
    return { code: 'SW203', severity: 'error', message: `must be ${types.join(' or ')}`, pointer };
  }
  const example = candidates.find((error) => !MISMATCH.has(error.keyword)) ?? candidates[0];
  return { code: 'SW200', severity: 'error', message: `is not ${what}`, pointer, ...(example ? { hint: `for example: ${describe(example)}` } : {}) };
}

function isExpressionPattern(error: ErrorObject): boolean {
  return error.keyword === 'pattern' && error.parentSchema?.title === 'RuntimeExpression';
}

function humanTitle(title: string): string {
  return title.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'required') return `missing '${String(error.params.missingProperty)}'`;
  if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties') {
    return `'${String(error.params.unevaluatedProperty ?? error.params.additionalProperty)}' is not allowed`;
  }
  return error.message ?? error.keyword;
}

function toProblem(error: ErrorObject): Problem {
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      return { code: 'SW201', severity: 'error', message: `missing required property '${missing}'`, pointer, atKey: true };
    }
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const property = String(error.params.unevaluatedProperty ?? error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const candidates = known.length > 0 ? [...known, ...(error.parentSchema?.$ref === '#/$defs/taskBase' ? TASK_BASE_KEYS : [])] : [];
      const hint = didYouMean(property, candidates) ?? (candidates.length > 0 ? `allowed here: ${candidates.join(', ')}` : undefined);
      return { code: 'SW202', severity: 'error', message: `property '${property}' is not allowed here`, pointer: joinPointer(pointer, property), atKey: true, ...(hint ? { hint } : {}) };
    }
    case 'type': {
      const listWanted = error.params.type === 'array' && typeName(error.data) === 'object';
      return {
        code: 'SW203',
        severity: 'error',
        message: `must be ${String(error.params.type)}, not ${typeName(error.data)}`,
        pointer,
        ...(listWanted ? { hint: 'write a list: each entry starts with `- name:` on its own line' } : {}),
      };
    }
    case 'const':
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[] | undefined) ?? [error.params.allowedValue];
      return { code: 'SW204', severity: 'error', message: `must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`, pointer };
    }
    case 'pattern':
    case 'format':
      return { code: 'SW204', severity: 'error', message: formatMessage(error), pointer };
    case 'maxProperties':
      if (isIndentationSlip(error)) {
        const keys = Object.keys((error.data as object | null) ?? {});
        return {
          code: 'SW200',
          severity: 'error',
          message: `a list item holds exactly one named entry, found ${keys.length}: ${keys.join(', ')}`,
          pointer,
          hint: 'check the indentation: the task body must be indented under its name',
        };
      }
      return generic(error);
    default:
      return generic(error);
  }
}

function isIndentationSlip(error: ErrorObject): boolean {
  return error.keyword === 'maxProperties' && error.params.limit === 1;
}

function formatMessage(error: ErrorObject): string {
  const written = typeof error.data === 'string' ? `'${error.data.length > 60 ? `${error.data.slice(0, 60)}…` : error.data}'` : 'value';
  const what = typeof error.parentSchema?.title === 'string' ? humanTitle(error.parentSchema.title) : undefined;
  if (error.keyword === 'format') return `${written} is not a valid ${String(error.params.format)}`;
  return what ? `${written} is not a valid ${what}` : `${written} does not match ${String(error.params.pattern)}`;
}

function generic(error: ErrorObject): Problem {
  const code: DiagnosticCode = 'SW200';
  return { code, severity: 'error', message: error.message ?? `fails ${error.keyword}`, pointer: error.instancePath };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code}\u0000${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
