/**
 * Runtime expressions: templates and jq programs evaluated against the spec's runtime arguments.
 * compileJq keeps each compiled program for every execution of the worker context; evaluation gets
 * `now` from workflow time so it replays identically.
 */
import { compileJq, runtimeArgumentsAt, WORKFLOW_JQ_OPTIONS, ZIGFLOW_UUID_VARIABLE } from '@baton/dsl/runtime';
import type { Dialect, Expression, ExpressionSite, RuntimeArgument, Template } from '@baton/dsl/runtime';
import { workflowError } from '../contract/index.ts';

type JqProgram = ReturnType<typeof compileJq>;

/** The spec's dateTimeDescriptor. */
export interface DateTimeDescriptor {
  readonly iso8601: string;
  readonly epoch: { readonly seconds: number; readonly milliseconds: number };
}

export function dateTimeDescriptor(epochMs: number): DateTimeDescriptor {
  return {
    iso8601: new Date(epochMs).toISOString(),
    epoch: { seconds: Math.floor(epochMs / 1000), milliseconds: epochMs },
  };
}

export interface TaskDescriptor {
  readonly name: string;
  readonly reference: string;
  readonly definition: unknown;
  readonly input: unknown;
  readonly output?: unknown;
  readonly startedAt: DateTimeDescriptor;
}

/**
 * The runtime arguments one evaluation sees. `site` says which ones it binds, from the table the
 * compiler checks documents with (RUNTIME_ARGUMENTS); `locals` holds `$item`/`$index`/`$error`-style
 * variables introduced by enclosing `for` and `catch` blocks.
 */
export interface ExpressionArguments {
  readonly site: ExpressionSite;
  readonly context?: unknown;
  readonly input?: unknown;
  readonly output?: unknown;
  /** Built only when a program reads `$task`: most never do, and it costs a date per task. */
  readonly task?: () => TaskDescriptor;
  readonly secrets?: boolean;
  readonly locals: Readonly<Record<string, unknown>>;
}

/**
 * What Zigflow's variables read, for documents in its dialect: `$input` is the workflow input,
 * `$data` the accumulated task results, `$env` the operator's map, `$output` the most recent
 * task's output (outside `export.as`), and `uuid` one value from workflow randomness per call.
 */
export interface ZigflowState {
  readonly input: unknown;
  readonly env: Readonly<Record<string, string>>;
  data(): unknown;
  lastOutput(): unknown;
  uuid(): string;
}

export class ExpressionEvaluator {
  constructor(
    private readonly workflow: unknown,
    private readonly runtime: unknown,
    private readonly secrets: Readonly<Record<string, unknown>>,
    private readonly zigflow?: ZigflowState,
  ) {}

  get dialect(): Dialect {
    return this.zigflow ? 'zigflow' : 'spec';
  }

  /** All outputs of a jq program; an error becomes the spec's expression error (400). */
  run(expression: Expression, data: unknown, args: ExpressionArguments, instance: string): unknown[] {
    try {
      const program = this.program(expression.jq);
      return program.run(data, this.variables(program.freeVariables, args), { now: Date.now() / 1000, env: {} });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw workflowError('expression', {
        title: 'Runtime expression failed',
        detail: `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message ?? String(error)} in \${ ${abbreviate(expression.jq)} }`,
        instance,
      });
    }
  }

  /** The first output, or null when the program produced none (jq's `empty`). */
  evaluate(expression: Expression, data: unknown, args: ExpressionArguments, instance: string): unknown {
    const outputs = this.run(expression, data, args, instance);
    return outputs.length === 0 ? null : outputs[0];
  }

  /** jq truthiness: everything but `false` and `null`. */
  test(expression: Expression, data: unknown, args: ExpressionArguments, instance: string): boolean {
    const value = this.evaluate(expression, data, args, instance);
    return value !== false && value !== null;
  }

  template(template: Template, data: unknown, args: ExpressionArguments, instance: string): unknown {
    switch (template.kind) {
      case 'literal':
        return template.value;
      case 'expr':
        return this.evaluate(template.expr, data, args, instance);
      case 'object': {
        const result: Record<string, unknown> = {};
        for (const [key, value] of template.entries) result[key] = this.template(value, data, args, instance);
        return result;
      }
      case 'array':
        return template.items.map((item) => this.template(item, data, args, instance));
    }
  }

  /**
   * True when the expression gives the same value whenever it is evaluated again with the same
   * data and locals: it reads neither `$context` (tasks may change it) nor the clock (`now`).
   */
  isRepeatable(expression: Expression): boolean {
    const program = this.program(expression.jq);
    return !program.freeVariables.includes('context') && !program.hostDependencies.includes('now');
  }

  /**
   * The runtime arguments a template's programs read, without `$secrets`: what the HTTP activity
   * needs to evaluate, outside the workflow, the arguments that read secrets.
   */
  bindings(templates: readonly Template[], args: ExpressionArguments): Record<string, unknown> {
    const names = new Set<string>();
    const visit = (template: Template): void => {
      if (template.kind === 'expr') for (const name of this.program(template.expr.jq).freeVariables) names.add(name);
      else if (template.kind === 'object') for (const [, entry] of template.entries) visit(entry);
      else if (template.kind === 'array') for (const item of template.items) visit(item);
    };
    for (const template of templates) visit(template);
    names.delete('secrets');
    return this.variables([...names], { ...args, secrets: false });
  }

  private program(source: string): JqProgram {
    return compileJq(source, WORKFLOW_JQ_OPTIONS);
  }

  /**
   * Only the variables the program reads are bound: the jq engine verifies each bound value the
   * first time it sees it, `$workflow`/`$context` can be large, and some (`$task`) are built on
   * demand.
   */
  private variables(names: readonly string[], args: ExpressionArguments): Record<string, unknown> {
    const variables: Record<string, unknown> = {};
    const available: readonly string[] = runtimeArgumentsAt(args.site, this.dialect);
    for (const name of names) {
      if (name in args.locals) variables[name] = args.locals[name];
      else if (available.includes(name)) this.bind(variables, name as RuntimeArgument, args);
      else if (name === ZIGFLOW_UUID_VARIABLE && this.zigflow) variables[name] = this.zigflow.uuid();
    }
    return variables;
  }

  private zigflowArgument(name: 'input' | 'output' | 'data' | 'env', args: ExpressionArguments): unknown {
    const state = this.zigflow!;
    switch (name) {
      case 'input':
        return state.input;
      case 'output':
        // In `export.as` Zigflow has already stored this task's shaped output.
        return 'output' in args ? args.output : state.lastOutput();
      case 'data':
        return state.data();
      case 'env':
        return state.env;
    }
  }

  /** One argument the table promises at this site; its absence is a bug in the interpreter, never the document's. */
  private bind(variables: Record<string, unknown>, name: RuntimeArgument, args: ExpressionArguments): void {
    switch (name) {
      case 'workflow':
        variables.workflow = this.workflow;
        return;
      case 'runtime':
        variables.runtime = this.runtime;
        return;
      case 'secrets':
        // Only the HTTP activity sees secret values; elsewhere the compiler refused them (SW405).
        if (args.secrets) variables.secrets = this.secrets;
        return;
      case 'input':
      case 'output':
      case 'data':
      case 'env':
        if (this.zigflow) {
          variables[name] = this.zigflowArgument(name, args);
          return;
        }
        if (!(name in args)) throw new Error(`interpreter bug: $${name} is not bound at ${args.site}`);
        variables[name] = args[name as 'input' | 'output'];
        return;
      case 'task':
        if (!args.task) throw new Error(`interpreter bug: $task is not bound at ${args.site}`);
        variables.task = args.task();
        return;
      default:
        if (!(name in args)) throw new Error(`interpreter bug: $${name} is not bound at ${args.site}`);
        variables[name] = args[name];
    }
  }
}

function abbreviate(source: string): string {
  const oneLine = source.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
