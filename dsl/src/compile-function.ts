/**
 * A function definition read from a catalog (its `function.yaml`: one task) compiled as the
 * calling document would compile a `use.functions` entry: same DSL release, same declared secrets.
 * The task keeps `/use/functions/<key>` as its position, so its errors say which function raised them.
 */
import { compileWorkflowObject } from './compile-workflow.ts';
import type { Diagnostic } from './errors.ts';
import type { Task } from './plan.ts';

export interface FunctionDefinitionOptions {
  /** How calls name it (`log:1.0.0@global`); its position is `/use/functions/<key>`. */
  readonly key: string;
  /** The calling document's `document.dsl`. */
  readonly dsl: string;
  /** The calling document's `use.secrets`. */
  readonly secrets: readonly string[];
  readonly file?: string;
}

export type FunctionDefinitionResult = { readonly ok: true; readonly task: Task } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function compileFunctionDefinition(definition: unknown, options: FunctionDefinitionOptions): FunctionDefinitionResult {
  const document = {
    document: { dsl: options.dsl, namespace: 'catalog', name: 'function', version: '1.0.0' },
    use: { ...(options.secrets.length > 0 ? { secrets: [...options.secrets] } : {}), functions: { [options.key]: definition } },
    do: [{ call: { call: options.key } }],
  };
  const compiled = compileWorkflowObject(document, { file: options.file ?? options.key });
  if (!compiled.ok) return compiled;
  const call = compiled.plan.do[0];
  if (call?.kind !== 'call.function') throw new Error('a function definition compiled to no function call');
  return { ok: true, task: call.body };
}
