/**
 * Validation: the schema of the document's DSL release, then every rule the schema cannot say
 * (expressions, references, dialect rules, features Baton does not run yet). Every problem is
 * reported at once; a document with no error is one the compiler can turn into a plan.
 */
import { readComponents } from '../document/components.ts';
import type { ExpressionChecker } from '../document/expression-checker.ts';
import type { Problem } from '../errors.ts';
import type { Dialect } from '../runtime-arguments.ts';
import { ValidationContext } from './context.ts';
import { checkDocument } from './document.ts';
import { validateSchema } from './schema.ts';
import { schemaVersionFor } from './schema-version.ts';
import { asObject } from '../document/values.ts';
import type { JsonObject } from '../document/values.ts';

export function validateDocument(root: JsonObject, expressions: ExpressionChecker, dialect: Dialect): Problem[] {
  // The schema faults shapes and stays quiet about a task naming no kind (SW205 is a rule here);
  // the rules fault only what the schema cannot judge, so no problem is said twice.
  const schemaVersion = schemaVersionFor(asObject(root.document)?.dsl);
  const ctx = new ValidationContext(readComponents(root), expressions, dialect, schemaVersion);
  checkDocument(ctx, root);
  return [...validateSchema(root), ...ctx.problems];
}
