/**
 * State shared while compiling one document: the problems found so far and the reusable
 * components (`use.*`) that tasks may reference. Problems are collected, never thrown, so one
 * pass reports everything.
 */
import type { DiagnosticCode, Problem } from '../errors.ts';
import type { ExpressionChecker } from './expressions.ts';
import type { JsonObject } from '../document/values.ts';

export interface Components {
  readonly errors: JsonObject;
  readonly retries: JsonObject;
  readonly timeouts: JsonObject;
  readonly functions: JsonObject;
  readonly secrets: readonly string[];
}

export class CompileContext {
  readonly problems: Problem[] = [];
  /** Pointers of task bodies that name no known task kind (reported once, as SW205). */
  readonly unknownTasks = new Set<string>();
  /** Tasks left out of the plan; each must be explained by some error, or the compiler has a bug. */
  readonly droppedTasks: string[] = [];

  constructor(
    readonly components: Components,
    readonly expressions: ExpressionChecker,
  ) {}

  error(code: DiagnosticCode, pointer: string, message: string, extra: Partial<Pick<Problem, 'atKey' | 'within' | 'hint'>> = {}): void {
    this.problems.push({ code, severity: 'error', message, pointer, ...extra });
  }

  warning(code: DiagnosticCode, pointer: string, message: string, extra: Partial<Pick<Problem, 'atKey' | 'within' | 'hint'>> = {}): void {
    this.problems.push({ code, severity: 'warning', message, pointer, ...extra });
  }
}
