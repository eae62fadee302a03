/**
 * The commands that work on workflow documents with @baton/dsl, without a runner. Each command's
 * module (and so the compiler) is loaded only when it runs, so `baton status` doesn't pay for it.
 */
import type { Command, CommandContext } from '../command.ts';
import type { ExitCode } from '../errors.ts';

function mount(base: Omit<Command, 'run' | 'usesRunner'>, run: (context: CommandContext) => Promise<ExitCode>): Command {
  return { ...base, usesRunner: false, run };
}

export const dslCommands: readonly Command[] = [
  mount(
    {
      name: 'validate',
      summary: 'Check workflow documents: every problem with file:line:column, task path and code',
      arguments: '<files…>',
      minArguments: 1,
      options: { explain: { type: 'boolean', description: "name the document's dialect and the differences from the specification that apply" } },
      examples: ['baton validate examples/*.yaml', 'cat flow.yaml | baton validate -', 'baton validate flow.yaml --json', 'baton validate zigflow.yaml --explain'],
    },
    async (context) => (await import('./validate.ts')).validate(context),
  ),
  mount(
    {
      name: 'graph',
      summary: 'Print a Mermaid flowchart of the tasks and their flow',
      arguments: '<file>',
      minArguments: 1,
      maxArguments: 1,
      options: {},
      examples: ['baton graph examples/approval.yaml > approval.mmd'],
    },
    async (context) => (await import('./graph.ts')).graph(context),
  ),
  mount(
    {
      name: 'schema',
      summary: 'Print the workflow JSON Schema (for editors and yaml-language-server)',
      arguments: '',
      minArguments: 0,
      maxArguments: 0,
      options: {},
      examples: ['baton schema > .baton/workflow.schema.json'],
    },
    async (context) => (await import('./schema.ts')).schema(context),
  ),
];
