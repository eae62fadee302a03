/** What every per-kind task compiler receives. */
import type { Task } from '../plan.ts';
import type { CompileContext } from './context.ts';
import type { Siblings } from './flow.ts';
import type { JsonObject } from '../document/values.ts';

export interface TaskSite {
  readonly ctx: CompileContext;
  readonly name: string;
  readonly body: JsonObject;
  /** JSON pointer of the task body: `/do/1/fetchUser`. */
  readonly pointer: string;
  readonly siblings: Siblings;
}

/** The fields of TaskBase, shared by every kind. */
export type TaskBaseFields = Omit<Task, 'kind'>;

export type TaskCompiler = (site: TaskSite, base: TaskBaseFields) => Task;
