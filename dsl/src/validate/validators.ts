/**
 * The workflow schemas' validators, precompiled by ajv into generated/workflow-validators-<version>.js
 * (see dsl/scripts/generate-validators.ts) so no process pays for compiling a schema. Each module
 * is loaded on first use: a process that only sees 1.0.3 documents never loads the 1.0.0 rules.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SchemaVersion } from './schema-version.ts';
import { validatorExportName } from './workflow-schema.ts';

export type SchemaValidator = ValidateFunction;

type ValidatorModule = Readonly<Record<string, SchemaValidator | undefined>>;

const loaders: Readonly<Record<SchemaVersion, () => ValidatorModule>> = {
  '1.0.0': () => require('./generated/workflow-validators-1.0.0.js') as ValidatorModule,
  '1.0.3': () => require('./generated/workflow-validators-1.0.3.js') as ValidatorModule,
};

const loaded = new Map<SchemaVersion, ValidatorModule>();

/** 'workflow' or a TASK_SCHEMAS key, under one DSL release's rules. */
export function validator(version: SchemaVersion, name: string): SchemaValidator {
  let module = loaded.get(version);
  if (!module) {
    module = loaders[version]();
    loaded.set(version, module);
  }
  const validate = module[validatorExportName(name)];
  if (!validate) throw new Error(`no generated validator for ${name} (DSL ${version}); run bun dsl/scripts/generate-validators.ts`);
  return validate;
}
