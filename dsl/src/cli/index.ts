/** The DSL's CLI commands, for the `baton` CLI to mount (`@baton/dsl/cli`). */
import { graphCommand, GRAPH_USAGE } from './graph.ts';
import { EXIT } from './io.ts';
import type { CliIo, ExitCode } from './io.ts';
import { schemaCommand, SCHEMA_USAGE } from './schema.ts';
import { validateCommand, VALIDATE_USAGE } from './validate.ts';

export { graphCommand, schemaCommand, validateCommand };
export { endQuietlyWhenStdoutCloses, EXIT, processIo } from './io.ts';
export type { CliIo, ExitCode } from './io.ts';

export const DSL_COMMANDS = {
  validate: validateCommand,
  graph: graphCommand,
  schema: schemaCommand,
} as const;

export const DSL_USAGE = `${VALIDATE_USAGE}${GRAPH_USAGE}${SCHEMA_USAGE}`;

/** `<command> <args…>` → exit code. */
export async function runDslCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv;
  const run = command !== undefined && Object.hasOwn(DSL_COMMANDS, command) ? DSL_COMMANDS[command as keyof typeof DSL_COMMANDS] : undefined;
  if (!run) {
    io.stderr(`${command === undefined ? '' : `unknown command '${command}'\n`}${DSL_USAGE}`);
    return EXIT.usage;
  }
  return run(args, io);
}
