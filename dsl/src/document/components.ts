/** The reusable components (`use.*`) a document's tasks refer to by name; validation and compilation read them alike. */
import { asArray, asObject } from './values.ts';
import type { JsonObject } from './values.ts';

export interface Components {
  readonly errors: JsonObject;
  readonly retries: JsonObject;
  readonly timeouts: JsonObject;
  readonly functions: JsonObject;
  /** `use.catalogs`: name → definition. */
  readonly catalogs: JsonObject;
  readonly authentications: JsonObject;
  readonly secrets: readonly string[];
}

export function readComponents(root: JsonObject): Components {
  const use = asObject(root.use) ?? {};
  return {
    errors: asObject(use.errors) ?? {},
    retries: asObject(use.retries) ?? {},
    timeouts: asObject(use.timeouts) ?? {},
    functions: asObject(use.functions) ?? {},
    catalogs: asObject(use.catalogs) ?? {},
    authentications: asObject(use.authentications) ?? {},
    secrets: (asArray(use.secrets) ?? []).filter((item): item is string => typeof item === 'string'),
  };
}
