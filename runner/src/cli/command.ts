/** The shape every `baton` subcommand shares. */
import type { ExitCode } from './errors.ts';
import type { RunnerClient } from './runner-client.ts';
import type { Terminal } from './terminal.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly description: string;
  readonly placeholder?: string;
}

export interface CommandContext {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly terminal: Terminal;
  readonly json: boolean;
  /** Connects on first use, so commands that need no runner never touch the network. */
  runner(): RunnerClient;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments as shown in the usage line, e.g. `<file>`. */
  readonly arguments: string;
  readonly minArguments: number;
  readonly maxArguments?: number;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** Whether the command talks to a runner (and so takes --runner/--token/--tls). */
  readonly usesRunner: boolean;
  run(context: CommandContext): Promise<ExitCode>;
}
