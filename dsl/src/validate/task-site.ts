/** What every per-kind rule receives. */
import type { JsonObject } from '../document/values.ts';
import type { ValidationContext } from './context.ts';
import type { Scope } from './expressions.ts';
import type { Siblings } from './flow.ts';

export interface TaskSite {
  readonly ctx: ValidationContext;
  readonly name: string;
  readonly body: JsonObject;
  /** JSON pointer of the task body: `/do/1/fetchUser`. */
  readonly pointer: string;
  readonly siblings: Siblings;
  readonly scope: Scope;
}

export type TaskRules = (site: TaskSite) => void;
