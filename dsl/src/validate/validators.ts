/**
 * The workflow schema's validators, precompiled by ajv into generated/workflow-validators.js
 * (see dsl/scripts/generate-validators.ts) so no process pays for compiling the schema.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import * as generated from './generated/workflow-validators.js';
import { validatorExportName } from './workflow-schema.ts';

export type SchemaValidator = ValidateFunction;

const validators = generated as unknown as Readonly<Record<string, SchemaValidator | undefined>>;

/** 'workflow' or a TASK_SCHEMAS key. */
export function validator(name: string): SchemaValidator {
  const validate = validators[validatorExportName(name)];
  if (!validate) throw new Error(`no generated validator for ${name}; run bun dsl/scripts/generate-validators.ts`);
  return validate;
}
