/**
 * The spec's data flow stages ("Data flow", steps 1–11): schema checks and the `input.from`,
 * `output.as` and `export.as` transformations, for the workflow and for each task.
 * JSON Schema validation uses @cfworker/json-schema because it interprets schemas without
 * generating code, which keeps it usable (and cheap to load) inside the workflow sandbox.
 */
import { Validator } from '@cfworker/json-schema';
import type { Schema } from '@cfworker/json-schema';
import type { DataExport, DataIn, DataOut, SchemaSpec } from '@baton/dsl/runtime';
import { workflowError } from '../contract/index.ts';
import type { ExpressionArguments, ExpressionEvaluator } from './expressions.ts';

const MAX_REPORTED_VIOLATIONS = 5;

export class SchemaValidators {
  private readonly validators = new Map<SchemaSpec, Validator>();

  /** Faults with the spec's validation error (400) when `value` does not satisfy the schema. */
  check(spec: SchemaSpec | undefined, value: unknown, what: string, instance: string): void {
    if (!spec) return;
    if (spec.format !== 'json' && !spec.format.startsWith('json')) {
      throw workflowError('configuration', {
        title: 'Unsupported schema format',
        detail: `${what} schema format '${spec.format}' is not supported; use json`,
        instance,
      });
    }
    const result = this.validator(spec).validate(value);
    if (result.valid) return;
    // 'properties'/'items' units only say "a child failed"; the child's own unit says what is wrong.
    const violations = result.errors
      .filter((unit) => result.errors.length === 1 || (unit.keyword !== 'properties' && unit.keyword !== 'items'))
      .slice(0, MAX_REPORTED_VIOLATIONS)
      .map((unit) => `${unit.instanceLocation}: ${unit.error}`);
    throw workflowError('validation', {
      title: `Invalid ${what}`,
      detail: `${what} does not match its schema: ${violations.join('; ')}`,
      instance,
    });
  }

  private validator(spec: SchemaSpec): Validator {
    let validator = this.validators.get(spec);
    if (!validator) {
      const document = spec.document;
      const schema = typeof document === 'boolean' ? document : (document as Schema);
      validator = new Validator(schema, '2020-12', false);
      this.validators.set(spec, validator);
    }
    return validator;
  }
}

/** Validates the raw input, then applies `input.from` (identity when absent). */
export function transformInput(
  spec: DataIn,
  raw: unknown,
  what: string,
  evaluator: ExpressionEvaluator,
  schemas: SchemaValidators,
  args: ExpressionArguments,
  instance: string,
): unknown {
  schemas.check(spec.schema, raw, what, instance);
  return spec.from ? evaluator.template(spec.from, raw, args, instance) : raw;
}

/** Applies `output.as` (identity when absent), then validates the transformed output. */
export function transformOutput(
  spec: DataOut,
  raw: unknown,
  what: string,
  evaluator: ExpressionEvaluator,
  schemas: SchemaValidators,
  args: ExpressionArguments,
  instance: string,
): unknown {
  const output = spec.as ? evaluator.template(spec.as, raw, args, instance) : raw;
  schemas.check(spec.schema, output, what, instance);
  return output;
}

/** `export.as` evaluated on the transformed output; its result replaces `$context`. */
export function exportContext(
  spec: DataExport,
  output: unknown,
  context: unknown,
  evaluator: ExpressionEvaluator,
  schemas: SchemaValidators,
  args: ExpressionArguments,
  instance: string,
): unknown {
  if (!spec.as) {
    schemas.check(spec.schema, context, 'exported context', instance);
    return context;
  }
  const next = evaluator.template(spec.as, output, args, instance);
  schemas.check(spec.schema, next, 'exported context', instance);
  return next;
}
