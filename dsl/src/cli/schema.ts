/**
 * `baton schema`: the JSON Schema Baton validates with, for editors. With the YAML language
 * server, start a workflow file with
 *   # yaml-language-server: $schema=./workflow.schema.json
 * after `baton schema > workflow.schema.json`.
 */
import { workflowSchema } from '../validate/workflow-schema.ts';
import { EXIT } from './io.ts';
import type { CliIo, ExitCode } from './io.ts';

export const SCHEMA_USAGE = 'usage: baton schema   (prints the workflow JSON Schema)\n';

export async function schemaCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  if (args.length > 0) {
    io.stderr(SCHEMA_USAGE);
    return EXIT.usage;
  }
  io.stdout(`${JSON.stringify(workflowSchema(), null, 2)}\n`);
  return EXIT.ok;
}
