/**
 * State shared while validating one document: the problems found so far and what the rules look
 * up (components, the dialect, the expression checker). Problems are collected, never thrown, so
 * one pass reports everything.
 */
import type { Components } from '../document/components.ts';
import type { DiagnosticCode, Problem } from '../errors.ts';
import type { AuthenticationScheme } from '../plan.ts';
import type { Dialect } from '../runtime-arguments.ts';
import { NEWEST_SCHEMA } from './schema-version.ts';
import type { SchemaVersion } from './schema-version.ts';
import type { ExpressionChecker } from '../document/expression-checker.ts';

type Extra = Partial<Pick<Problem, 'atKey' | 'within' | 'hint'>>;

export class ValidationContext {
  readonly problems: Problem[] = [];
  /**
   * True while checking what an activity evaluates outside history (the `call: http` endpoint,
   * headers, query and body, authentication policies): the only places an expression may read
   * `$secrets` (SW405 elsewhere).
   */
  private secretsAllowed = false;
  /** `use.functions` already checked where they are written (each is checked once). */
  readonly checkedFunctions = new Set<string>();
  /** The functions being checked now, to refuse a function that calls itself. */
  readonly checkingFunctions = new Set<string>();
  /**
   * The workflow types of a Zigflow multi-workflow file (each top-level `do`). Empty otherwise.
   */
  siblingWorkflows: ReadonlySet<string> = new Set();
  /** `document.metadata.activityOptions.heartbeatTimeout` in ms, which a task's heartbeat must stay under. */
  documentHeartbeatTimeoutMs: number | undefined;
  /** `use.authentications` by name → the scheme each uses (calls refuse schemes their protocol cannot apply). */
  authentications: ReadonlyMap<string, AuthenticationScheme | undefined> = new Map();

  constructor(
    readonly components: Components,
    readonly expressions: ExpressionChecker,
    /** Zigflow's documents are checked against Zigflow's variables (runtime-arguments.ts). */
    readonly dialect: Dialect = 'spec',
    /** The DSL release whose schema rules apply (validate/schema-version.ts). */
    readonly schemaVersion: SchemaVersion = NEWEST_SCHEMA,
  ) {}

  get mayReadSecrets(): boolean {
    return this.secretsAllowed;
  }

  /** Runs `check` with `$secrets` allowed. */
  allowingSecrets<T>(check: () => T): T {
    const before = this.secretsAllowed;
    this.secretsAllowed = true;
    try {
      return check();
    } finally {
      this.secretsAllowed = before;
    }
  }

  /** Errors found so far (warnings aside). */
  get errorCount(): number {
    return this.errors;
  }

  private errors = 0;

  error(code: DiagnosticCode, pointer: string, message: string, extra: Extra = {}): void {
    this.errors++;
    this.problems.push({ code, severity: 'error', message, pointer, ...extra });
  }

  warning(code: DiagnosticCode, pointer: string, message: string, extra: Extra = {}): void {
    this.problems.push({ code, severity: 'warning', message, pointer, ...extra });
  }
}
