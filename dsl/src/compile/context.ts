/**
 * What compiling one validated document shares between tasks: the reusable components (`use.*`)
 * tasks refer to by name and what the document says for all of them. Compilation reports
 * nothing: validation has already refused every document it could not compile.
 */
import type { Components } from '../document/components.ts';
import type { ExpressionChecker } from '../document/expression-checker.ts';
import type { Dialect } from '../runtime-arguments.ts';
import type { AuthenticationPolicy, Task } from '../plan.ts';

export class CompileContext {
  /** `use.functions` compiled on first call. */
  readonly functionTasks = new Map<string, Task>();

  /** `use.authentications`, compiled before the tasks that refer to them by name. */
  authentications: ReadonlyMap<string, AuthenticationPolicy> = new Map();

  /**
   * The workflow types of a Zigflow multi-workflow file (each top-level `do`), which
   * `run.workflow.type` may start from the same file. Empty otherwise.
   */
  siblingWorkflows: ReadonlySet<string> = new Set();
  documentNamespace = '';
  documentVersion = '';

  constructor(
    readonly components: Components,
    /** Tells which compiled expressions read `$secrets` (the HTTP activity evaluates those). */
    readonly expressions: ExpressionChecker,
    readonly dialect: Dialect = 'spec',
  ) {}
}
