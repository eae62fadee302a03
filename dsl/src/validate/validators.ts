/**
 * Compiled ajv validators for the workflow schema, built once per process on first use and
 * reused for every document.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { TASK_SCHEMAS, WORKFLOW_SCHEMA_ID, workflowSchema } from './workflow-schema.ts';

export type SchemaValidator = ValidateFunction;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, SchemaValidator>();

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    ajv.addSchema(workflowSchema());
  }
  return ajv;
}

/** 'workflow' or a TASK_SCHEMAS key. */
export function validator(name: string): SchemaValidator {
  let validate = compiled.get(name);
  if (!validate) {
    const ref = name === 'workflow' ? WORKFLOW_SCHEMA_ID : `${WORKFLOW_SCHEMA_ID}${TASK_SCHEMAS[name]}`;
    validate = instance().getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    compiled.set(name, validate);
  }
  return validate;
}
