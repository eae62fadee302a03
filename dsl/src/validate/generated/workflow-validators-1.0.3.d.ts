/** Types of the generated standalone validators (see dsl/scripts/generate-validators.ts). */
import type { ValidateFunction } from 'ajv/dist/2020.js';

declare const validators: Readonly<Record<string, ValidateFunction | undefined>>;
export = validators;
