/**
 * The DSL's own commands (`@baton/dsl/cli`), mounted under `baton`; they parse their own flags.
 * The compiler is loaded only when one of them runs, so `baton status` doesn't pay for it.
 */
import type { Command } from '../command.ts';

type DslCli = typeof import('@baton/dsl/cli');
type DslCommandName = 'validateCommand' | 'graphCommand' | 'schemaCommand';

function mount(base: Omit<Command, 'run' | 'usesRunner' | 'parsesOwnArguments'>, name: DslCommandName): Command {
  return {
    ...base,
    usesRunner: false,
    parsesOwnArguments: true,
    run: async (context) => {
      const cli: DslCli = await import('@baton/dsl/cli');
      return cli[name](context.positionals, cli.processIo());
    },
  };
}

export const dslCommands: readonly Command[] = [
  mount(
    {
      name: 'validate',
      summary: 'Check workflow documents: every problem with file:line:column, task path and code',
      arguments: '<files…>',
      minArguments: 1,
      options: { json: { type: 'boolean', description: 'one JSON report for all files' } },
      examples: ['baton validate examples/*.yaml', 'cat flow.yaml | baton validate -', 'baton validate flow.yaml --json'],
    },
    'validateCommand',
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
    'graphCommand',
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
    'schemaCommand',
  ),
];
