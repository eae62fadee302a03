#!/usr/bin/env bun
/**
 * `baton`: the command line for people and scripts. Parses the command line, connects to the
 * runner when a command needs one, and turns every failure into a sentence and an exit code.
 */
import { parseArgs } from 'node:util';
import type { Command, CommandContext, OptionSpec } from './command.ts';
import { cancelCommand, pauseCommand, resumeCommand, statusCommand, watchCommand } from './commands/executions.ts';
import { deployCommand, deploymentsCommand, schedulesCommand, undeployCommand } from './commands/deployments.ts';
import { dslCommands } from './commands/dsl.ts';
import { emitCommand } from './commands/events.ts';
import { listCommand } from './commands/list.ts';
import { queryCommand, signalCommand, updateCommand } from './commands/messages.ts';
import { mcpCommand } from './commands/mcp.ts';
import { runCommand } from './commands/run.ts';
import { CliError, ExitCode } from './errors.ts';
import { connectRunner, DEFAULT_RUNNER_ADDRESS, type RunnerClient } from './runner-client.ts';
import { createTerminal, endQuietlyWhenStdoutCloses } from './terminal.ts';

const COMMANDS: readonly Command[] = [
  runCommand,
  statusCommand,
  watchCommand,
  listCommand,
  cancelCommand,
  pauseCommand,
  resumeCommand,
  signalCommand,
  queryCommand,
  updateCommand,
  deployCommand,
  deploymentsCommand,
  undeployCommand,
  schedulesCommand,
  emitCommand,
  ...dslCommands,
  mcpCommand,
];

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'machine-readable JSON output' },
  'no-color': { type: 'boolean', description: 'no colours (also off when not a TTY or NO_COLOR is set)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

const RUNNER_OPTIONS: Record<string, OptionSpec> = {
  runner: {
    type: 'string',
    placeholder: 'HOST:PORT',
    description: `runner address (env BATON_RUNNER_ADDRESS, default ${DEFAULT_RUNNER_ADDRESS})`,
  },
  token: { type: 'string', placeholder: 'TOKEN', description: 'bearer token (env BATON_RUNNER_TOKEN)' },
  tls: { type: 'boolean', description: 'connect with TLS (env BATON_RUNNER_TLS=1)' },
};

export async function main(argv: readonly string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  const terminal = createTerminal({ noColor: argv.includes('--no-color') });
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    terminal.out(overview());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    terminal.err(`baton: unknown command "${name}"\n\n${overview()}`);
    return ExitCode.usage;
  }

  let runner: RunnerClient | undefined;
  try {
    const optionSpecs = { ...GLOBAL_OPTIONS, ...(command.usesRunner ? RUNNER_OPTIONS : {}), ...command.options };
    const { values, positionals } = parseCommandLine(command, optionSpecs, rest);
    if (values.help) {
      terminal.out(commandHelp(command, optionSpecs));
      return ExitCode.ok;
    }
    const env = process.env;
    return await command.run({
      positionals,
      options: values as CommandContext['options'],
      terminal,
      json: Boolean(values.json),
      runner: () =>
        (runner ??= connectRunner({
          address: (values.runner as string | undefined) ?? env.BATON_RUNNER_ADDRESS ?? DEFAULT_RUNNER_ADDRESS,
          token: (values.token as string | undefined) ?? env.BATON_RUNNER_TOKEN,
          tls: Boolean(values.tls) || env.BATON_RUNNER_TLS === '1',
        })),
    });
  } catch (error) {
    if (error instanceof CliError) {
      terminal.err(`baton ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  } finally {
    runner?.close();
  }
}

function parseCommandLine(command: Command, specs: Record<string, OptionSpec>, args: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(specs).map(([name, spec]) => [
          name,
          { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
        ]),
      ),
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nrun \`baton ${command.name} --help\` for usage`, ExitCode.usage);
  }
  if (!parsed.values.help) {
    const count = parsed.positionals.length;
    if (count < command.minArguments || (command.maxArguments !== undefined && count > command.maxArguments)) {
      throw new CliError(`expected ${command.arguments || 'no arguments'}\nusage: baton ${command.name} ${command.arguments} [options]`, ExitCode.usage);
    }
  }
  return parsed;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => `${command.name} ${command.arguments}`.length));
  return [
    'baton — run CNCF Serverless Workflow YAML on Temporal',
    '',
    'Usage: baton <command> [options]      (baton <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${`${command.name} ${command.arguments}`.padEnd(width)}  ${command.summary}`),
    '',
    'Exit codes: 0 ok · 1 execution failed/cancelled or workflow invalid · 2 usage or input error · 3 runner unreachable or error',
    '',
    'Start a local runner first with `bun run local`.',
  ].join('\n');
}

function commandHelp(command: Command, specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `${command.summary}.`,
    '',
    `Usage: baton ${command.name} ${command.arguments} [options]`,
    '',
    'Options:',
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
  ].join('\n');
}

if (import.meta.main) {
  endQuietlyWhenStdoutCloses();
  process.exitCode = await main(process.argv.slice(2));
}
