/**
 * Which runtime arguments (`$context`, `$input` …) an expression sees, by where it sits in the
 * document — the specification's "runtime expression arguments" table as Baton implements it.
 * The compiler refuses any other variable (SW402) and the interpreter binds exactly these, from
 * this one table, so a document that validates never meets "$x is not defined" at run time.
 * `$authorization` is absent: authentication policies are not supported yet (SW501).
 * Loop and `catch.as` variables come on top, in the blocks that declare them.
 */
export const EXPRESSION_SITES = [
  'workflowInput',
  'workflowTimeout',
  'workflowOutput',
  'taskInput',
  'taskIf',
  'taskTimeout',
  'task',
  'taskOutput',
  'taskExport',
] as const;

/** Where an expression sits: workflow `input.from`, a task's `if`, its own fields (`task`) … */
export type ExpressionSite = (typeof EXPRESSION_SITES)[number];

export const RUNTIME_ARGUMENT_NAMES = ['context', 'input', 'output', 'secrets', 'task', 'workflow', 'runtime'] as const;

export type RuntimeArgument = (typeof RUNTIME_ARGUMENT_NAMES)[number];

const ALWAYS: readonly RuntimeArgument[] = ['workflow', 'runtime', 'secrets'];

export const RUNTIME_ARGUMENTS: Readonly<Record<ExpressionSite, readonly RuntimeArgument[]>> = {
  /** The raw workflow input, before any task ran: no context yet. */
  workflowInput: [...ALWAYS],
  workflowTimeout: ['context', ...ALWAYS],
  workflowOutput: ['context', ...ALWAYS],
  /** The raw task input; `$input` is what this transformation produces. */
  taskInput: ['context', 'task', ...ALWAYS],
  taskIf: ['context', 'input', 'task', ...ALWAYS],
  taskTimeout: ['context', 'input', 'task', ...ALWAYS],
  /** A task's own fields (`set`, `call.with`, `switch.when`, `for.in`, `raise.error` …). */
  task: ['context', 'input', 'task', ...ALWAYS],
  /** The raw task output is `.`; `$output` is what this transformation produces. */
  taskOutput: ['context', 'input', 'task', ...ALWAYS],
  /** The transformed task output is both `.` and `$output`. */
  taskExport: ['context', 'input', 'output', 'task', ...ALWAYS],
};

/** Variables the jq language itself defines, bound by the engine wherever jq runs. */
export const JQ_VARIABLES: readonly string[] = ['ENV', '__loc__'];
