/** What the interpreter asks the runner for a cataloged function, and what it gets back. */
import type { Task } from '@baton/dsl/runtime';

export interface CatalogFunctionRequest {
  readonly function: string;
  readonly version: string;
  readonly catalog: string;
  /** The catalog's root; absent: the runner's default catalog (its documents folder). */
  readonly endpoint?: string;
  /** The calling document's DSL release and declared secrets, which the function is compiled with. */
  readonly dsl: string;
  readonly secrets: readonly string[];
  readonly taskReference: string;
}

export const CATALOG_FUNCTION_ACTIVITY_TYPE = 'loadCatalogFunction';

export interface CatalogFunctionActivities {
  /** The function's task, compiled; recorded in history, so a replay runs the same definition. */
  loadCatalogFunction(request: CatalogFunctionRequest): Promise<Task>;
}
