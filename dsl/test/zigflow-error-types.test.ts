import { expect, test } from 'bun:test';
import { errorTypeMatches, inErrorTypeForm } from '../src/runtime.ts';

const ZIGFLOW_VALIDATION = 'https://zigflow.dev/spec/1.0.0/errors/validation';

test("Zigflow's error types name the standard types only in a dialect document", () => {
  expect(errorTypeMatches('validation', ZIGFLOW_VALIDATION, 'zigflow')).toBe(true);
  expect(errorTypeMatches('https://serverlessworkflow.io/spec/1.0.0/errors/validation', ZIGFLOW_VALIDATION, 'zigflow')).toBe(true);
  expect(errorTypeMatches(ZIGFLOW_VALIDATION, 'https://serverlessworkflow.io/spec/1.0.0/errors/validation', 'zigflow')).toBe(true);
  // A specification document keeps the specification's meaning: a zigflow.dev type is a custom type.
  expect(errorTypeMatches('validation', ZIGFLOW_VALIDATION)).toBe(false);
  expect(errorTypeMatches('validation', ZIGFLOW_VALIDATION, 'dsl')).toBe(false);
});

test("Baton's own errors are shown in Zigflow's form for dialect plans", () => {
  expect(inErrorTypeForm('https://serverlessworkflow.io/spec/1.0.0/errors/timeout', 'zigflow')).toBe('https://zigflow.dev/spec/1.0.0/errors/timeout');
  expect(inErrorTypeForm('https://example.com/errors/mine', 'zigflow')).toBe('https://example.com/errors/mine');
});
