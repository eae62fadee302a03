/**
 * `baton schema`: the JSON Schema Baton validates with (the newest DSL release's), for editors.
 * With the YAML language server, start a workflow file with
 *   # yaml-language-server: $schema=./workflow.schema.json
 * after `baton schema > workflow.schema.json`.
 */
import { workflowSchema } from '@baton/dsl';
import type { CommandContext } from '../command.ts';
import { ExitCode } from '../errors.ts';

export async function schema({ terminal }: CommandContext): Promise<ExitCode> {
  terminal.out(JSON.stringify(workflowSchema(), null, 2));
  return ExitCode.ok;
}
