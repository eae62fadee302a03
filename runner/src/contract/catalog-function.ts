/** What the interpreter asks the runner for a cataloged function, and what it gets back. */
import type { Task } from '@baton/dsl/runtime';
import type { AuthenticationArguments } from './auth.ts';

export interface CatalogFunctionRequest {
  readonly function: string;
  readonly version: string;
  readonly catalog: string;
  /** The catalog's root; absent: the runner's default catalog (its documents folder). */
  readonly endpoint?: string;
  /** A function named by URL: where its definition is (the `call` as written); `endpoint` is then unused. */
  readonly url?: string;
  /** The catalog's `endpoint.authentication`, evaluated by the activity: the read carries it. */
  readonly authentication?: AuthenticationArguments;
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
