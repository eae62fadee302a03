/**
 * Checks that the JSON Schemas a workflow declares for its input/output are themselves valid
 * (draft 2020-12 by default, or the draft their `$schema` names), so a broken schema fails at
 * validation time instead of at the first execution.
 */
import type Ajv2020 from 'ajv/dist/2020.js';
import type addFormats from 'ajv-formats';

let checker: Ajv2020 | undefined;
const verdicts = new Map<string, string | undefined>();

/** A sentence describing the problem, or undefined when the schema is valid. */
export function checkJsonSchema(document: unknown): string | undefined {
  if (typeof document === 'boolean') return undefined;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return 'a JSON Schema is an object or a boolean';
  }
  const key = JSON.stringify(document);
  if (verdicts.has(key)) return verdicts.get(key);
  const verdict = check(document);
  if (verdicts.size > 1_000) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}

function check(document: object): string | undefined {
  checker ??= createChecker();
  const ajv = checker;
  try {
    if (!ajv.validateSchema(document)) {
      const [first] = ajv.errors ?? [];
      return first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'schema is invalid';
    }
    // Compiling also catches unresolvable $refs and bad regular expressions.
    ajv.compile(document);
    ajv.removeSchema(document);
    return undefined;
  } catch (error) {
    ajv.removeSchema(document);
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/** ajv's compiler takes ~100 ms to load; only documents that declare schemas pay for it. */
function createChecker(): Ajv2020 {
  const { default: Ajv } = require('ajv/dist/2020.js') as { default: typeof Ajv2020 };
  const { default: withFormats } = require('ajv-formats') as { default: typeof addFormats };
  return withFormats(new Ajv({ strict: false, allErrors: false, validateFormats: true }));
}
