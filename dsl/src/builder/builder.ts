/**
 * A typed builder for workflow documents. It produces exactly the document a person would write
 * in YAML, so `build → yaml → compile` and `build → compile` give the same plan.
 *
 *   const order = workflow({ namespace: 'shop', name: 'order', version: '1.0.0' })
 *     .do('fetch', http({ method: 'get', endpoint: 'https://api.example.com/orders/{id}' }))
 *     .do('total', set({ total: expr('.lines | map(.price) | add') }));
 *   order.toYaml(); order.compile();
 */
import type { stringify as Stringify } from 'yaml';
import { compileWorkflowObject } from '../compile-workflow.ts';
import type { CompileResult } from '../compile-workflow.ts';
import type {
  DocumentDefinition,
  DoTaskDefinition,
  Duration,
  ErrorDefinition,
  FlowDirective,
  ForkTaskDefinition,
  ForTaskDefinition,
  HttpArguments,
  HttpCallTaskDefinition,
  InputDefinition,
  OutputDefinition,
  RaiseTaskDefinition,
  RunWorkflowTaskDefinition,
  RuntimeExpression,
  SetTaskDefinition,
  SwitchTaskDefinition,
  TaskDefinition,
  TaskList,
  TaskOptions,
  TemplateValue,
  TimeoutDefinition,
  TryTaskDefinition,
  UseDefinition,
  WaitTaskDefinition,
  WorkflowDocument,
} from './types.ts';

/** `expr('.a + 1')` → `'${ .a + 1 }'`. */
export function expr(jq: string): RuntimeExpression {
  return `\${ ${jq} }` as RuntimeExpression;
}

/** Named tasks in order: `tasks(['a', set(…)], ['b', wait('PT1S')])`. */
export function tasks(...entries: readonly (readonly [string, TaskDefinition])[]): TaskList {
  return entries.map(([name, task]) => ({ [name]: task }));
}

export const set = (values: SetTaskDefinition['set'], options: TaskOptions = {}): SetTaskDefinition => ({ ...options, set: values });

export const wait = (duration: Duration, options: TaskOptions = {}): WaitTaskDefinition => ({ ...options, wait: duration });

/** An inline error, or the name of a `use.errors` entry. */
export const raise = (error: ErrorDefinition | string, options: TaskOptions = {}): RaiseTaskDefinition => ({ ...options, raise: { error } });

export const sequence = (steps: TaskList, options: TaskOptions = {}): DoTaskDefinition => ({ ...options, do: steps });

/** Cases in order; a case without `when` is the default. */
export const switchOn = (
  cases: readonly (readonly [string, { readonly when?: string; readonly then: FlowDirective }])[],
  options: TaskOptions = {},
): SwitchTaskDefinition => ({ ...options, switch: cases.map(([name, body]) => ({ [name]: body })) });

export const forEach = (
  loop: { readonly in: string; readonly each?: string; readonly at?: string; readonly while?: string },
  steps: TaskList,
  options: TaskOptions = {},
): ForTaskDefinition => {
  const { while: condition, ...header } = loop;
  return { ...options, for: header, ...(condition !== undefined ? { while: condition } : {}), do: steps };
};

export const fork = (branches: TaskList, settings: { readonly compete?: boolean } = {}, options: TaskOptions = {}): ForkTaskDefinition => ({
  ...options,
  fork: { branches, ...settings },
});

export const tryCatch = (attempt: TaskList, handler: TryTaskDefinition['catch'], options: TaskOptions = {}): TryTaskDefinition => ({
  ...options,
  try: attempt,
  catch: handler,
});

export const http = (args: HttpArguments, options: TaskOptions = {}): HttpCallTaskDefinition => ({ ...options, call: 'http', with: args });

export const runWorkflow = (
  target: RunWorkflowTaskDefinition['run']['workflow'],
  settings: { readonly await?: boolean } = {},
  options: TaskOptions = {},
): RunWorkflowTaskDefinition => ({ ...options, run: { workflow: target, ...settings } });

export class WorkflowBuilder {
  readonly #document: WorkflowDocument['document'];
  #input?: InputDefinition;
  #use?: UseDefinition;
  #timeout?: TimeoutDefinition | string;
  #output?: OutputDefinition;
  readonly #tasks: TaskList[number][] = [];

  constructor(document: DocumentDefinition) {
    this.#document = { ...document, dsl: document.dsl ?? '1.0.0' };
  }

  input(input: InputDefinition): this {
    this.#input = input;
    return this;
  }

  use(use: UseDefinition): this {
    this.#use = use;
    return this;
  }

  timeout(timeout: Duration | string): this {
    this.#timeout = typeof timeout === 'string' && !timeout.startsWith('P') ? timeout : { after: timeout };
    return this;
  }

  output(output: OutputDefinition): this {
    this.#output = output;
    return this;
  }

  /** Append a named task. */
  do(name: string, task: TaskDefinition): this {
    this.#tasks.push({ [name]: task });
    return this;
  }

  /** The document as plain data, keys in the order a person writes them. */
  build(): WorkflowDocument {
    return {
      document: this.#document,
      ...(this.#input ? { input: this.#input } : {}),
      ...(this.#use ? { use: this.#use } : {}),
      ...(this.#timeout !== undefined ? { timeout: this.#timeout } : {}),
      do: [...this.#tasks],
      ...(this.#output ? { output: this.#output } : {}),
    };
  }

  toYaml(): string {
    // `yaml` is loaded on demand: compiling never needs it.
    const { stringify } = require('yaml') as { stringify: typeof Stringify };
    return stringify(this.build(), { aliasDuplicateObjects: false, lineWidth: 0 });
  }

  compile(): CompileResult {
    return compileWorkflowObject(this.build(), { file: `${this.#document.name}.yaml` });
  }
}

export function workflow(document: DocumentDefinition): WorkflowBuilder {
  return new WorkflowBuilder(document);
}
