/**
 * Which runtime arguments (`$context`, `$input` …) an expression sees, by where it sits in the
 * document — the specification's "runtime expression arguments" table as Baton implements it.
 * The compiler refuses any other variable (SW402) and the interpreter binds exactly these, from
 * this one table, so a document that validates never meets "$x is not defined" at run time.
 * `$authorization` is not in the table: it exists only in `output.as`/`export.as` of a call whose
 * endpoint authenticates, so the compiler and the interpreter treat it as a local of those sites,
 * holding `{ scheme }` (reading its `parameter`, a credential, is SW405).
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

export const RUNTIME_ARGUMENT_NAMES = ['context', 'input', 'output', 'secrets', 'task', 'workflow', 'runtime', 'data', 'env'] as const;

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

/**
 * Which semantics a document gets: the specification's, or Zigflow's for documents written in its
 * dialect (`document.taskQueue`/`workflowType`). Never mixed: see docs/zigflow.md.
 */
export type Dialect = 'spec' | 'zigflow';

const ZIGFLOW_TASK: readonly RuntimeArgument[] = ['context', 'input', 'output', 'data', 'env', 'task', ...ALWAYS];

/**
 * Zigflow's variables: `$input` is the workflow input everywhere, `$output` the most recent task's
 * output (in `export.as`, this task's shaped output), `$data` the accumulated task results, `$env`
 * the operator's map. `$task` is Baton's and stays available.
 */
export const ZIGFLOW_RUNTIME_ARGUMENTS: Readonly<Record<ExpressionSite, readonly RuntimeArgument[]>> = {
  workflowInput: ['env', ...ALWAYS],
  workflowTimeout: ['context', 'input', 'env', ...ALWAYS],
  workflowOutput: ['context', 'input', 'output', 'data', 'env', ...ALWAYS],
  taskInput: ZIGFLOW_TASK,
  taskIf: ZIGFLOW_TASK,
  taskTimeout: ZIGFLOW_TASK,
  task: ZIGFLOW_TASK,
  taskOutput: ZIGFLOW_TASK,
  taskExport: ZIGFLOW_TASK,
};

/** The row of the table a dialect's expression at `site` is checked and bound with. */
export function runtimeArgumentsAt(site: ExpressionSite, dialect: Dialect = 'spec'): readonly RuntimeArgument[] {
  return (dialect === 'zigflow' ? ZIGFLOW_RUNTIME_ARGUMENTS : RUNTIME_ARGUMENTS)[site];
}

/**
 * Zigflow's generated-value functions, defined in jq over values the interpreter derives from
 * workflow randomness and workflow time, so they replay identically: `uuid` reads the hidden
 * variable below (one fresh UUID per evaluation), `timestamp` is workflow time in whole seconds.
 */
export const ZIGFLOW_UUID_VARIABLE = '__zigflow_uuid';
export const ZIGFLOW_JQ_PRELUDE = `def uuid: $${ZIGFLOW_UUID_VARIABLE}; def timestamp: (now | floor); def timestamp_iso8601: (now | floor | todate); `;
const ZIGFLOW_FUNCTIONS = /\b(?:uuid|timestamp|timestamp_iso8601)\b/;

/** The program to compile for a dialect's source: Zigflow's functions prepended when it uses one. */
export function dialectProgram(source: string, dialect: Dialect = 'spec'): string {
  return dialect === 'zigflow' && ZIGFLOW_FUNCTIONS.test(source) ? ZIGFLOW_JQ_PRELUDE + source : source;
}

/** Variables the jq language itself defines, bound by the engine wherever jq runs. */
export const JQ_VARIABLES: readonly string[] = ['ENV', '__loc__'];
