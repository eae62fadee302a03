/**
 * State shared while compiling one document: the problems found so far and the reusable
 * components (`use.*`) that tasks may reference. Problems are collected, never thrown, so one
 * pass reports everything.
 */
import type { DiagnosticCode, Problem } from '../errors.ts';
import type { Dialect } from '../runtime-arguments.ts';
import type { ExpressionChecker } from './expressions.ts';
import type { JsonObject } from '../document/values.ts';
import { NEWEST_SCHEMA } from '../validate/schema-version.ts';
import type { SchemaVersion } from '../validate/schema-version.ts';
import type { ActivityOptions, AuthenticationPolicy, Task } from '../plan.ts';

export interface Components {
  readonly errors: JsonObject;
  readonly retries: JsonObject;
  readonly timeouts: JsonObject;
  readonly functions: JsonObject;
  /** `use.catalogs`: name → definition. */
  readonly catalogs: JsonObject;
  readonly secrets: readonly string[];
}

export class CompileContext {
  readonly problems: Problem[] = [];
  /** Tasks left out of the plan; each must be explained by some error, or the compiler has a bug. */
  readonly droppedTasks: string[] = [];

  /**
   * True while compiling the `call: http` arguments the HTTP activity evaluates (endpoint,
   * headers, query, body): the only places an expression may read `$secrets` (SW405 elsewhere).
   */
  private secretsAllowed = false;

  /** `use.functions` compiled on first call (null: it does not compile; its errors are reported once). */
  readonly functionTasks = new Map<string, Task | null>();
  /** The functions being compiled now, to refuse a function that calls itself. */
  readonly compilingFunctions = new Set<string>();

  /** `use.authentications`, compiled before the tasks that refer to them by name. */
  authentications: ReadonlyMap<string, AuthenticationPolicy> = new Map();

  /**
   * The workflow types of a Zigflow multi-workflow file (each top-level `do`), which
   * `run.workflow.type` may start from the same file. Empty otherwise.
   */
  siblingWorkflows: ReadonlySet<string> = new Set();
  documentNamespace = '';
  /** `document.metadata.activityOptions`, which a task's own options override field by field. */
  documentActivityOptions: ActivityOptions = {};
  documentVersion = '';
  /** The DSL release whose schema rules the document was validated by (validate/schema-version.ts). */
  schemaVersion: SchemaVersion = NEWEST_SCHEMA;

  constructor(
    readonly components: Components,
    readonly expressions: ExpressionChecker,
    /** Zigflow's documents are checked against Zigflow's variables (runtime-arguments.ts). */
    readonly dialect: Dialect = 'spec',
  ) {}

  get mayReadSecrets(): boolean {
    return this.secretsAllowed;
  }

  /** Compiles with `$secrets` allowed; the value `compile` returns is passed through. */
  allowingSecrets<T>(compile: () => T): T {
    const before = this.secretsAllowed;
    this.secretsAllowed = true;
    try {
      return compile();
    } finally {
      this.secretsAllowed = before;
    }
  }

  error(code: DiagnosticCode, pointer: string, message: string, extra: Partial<Pick<Problem, 'atKey' | 'within' | 'hint'>> = {}): void {
    this.problems.push({ code, severity: 'error', message, pointer, ...extra });
  }

  warning(code: DiagnosticCode, pointer: string, message: string, extra: Partial<Pick<Problem, 'atKey' | 'within' | 'hint'>> = {}): void {
    this.problems.push({ code, severity: 'warning', message, pointer, ...extra });
  }
}
