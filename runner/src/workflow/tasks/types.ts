/** The one interface every kind of task implements. */
import type { FlowTarget, Task } from '@baton/dsl/runtime';
import type { ExpressionArguments } from '../expressions.ts';
import type { Execution, Scope } from '../interpreter.ts';

export interface TaskRun<T extends Task> {
  readonly task: T;
  /** The transformed input (`.` and `$input`). */
  readonly input: unknown;
  /** The raw input, before `input.from`. */
  readonly rawInput: unknown;
  readonly scope: Scope;
  /** Where to pick up inside this task after a continue-as-new; kind-specific. */
  readonly resume: unknown;
  readonly execution: Execution;
  /** Runtime arguments for expressions in the task definition, with the current `$context`. */
  args(): ExpressionArguments;
}

export interface TaskOutcome {
  /** The raw output, before `output.as`. */
  readonly output: unknown;
  /** Overrides the task's own `then` (a switch case's directive). */
  readonly redirect?: FlowTarget;
  /** A nested task said `then: end`. */
  readonly ended?: boolean;
  /** The task's `if` was false: it did not run. */
  readonly skipped?: boolean;
}

export type TaskHandler<T extends Task> = (run: TaskRun<T>) => Promise<TaskOutcome>;
