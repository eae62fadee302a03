import { basename } from 'node:path';
import type { Command } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { followExecution } from '../follow.ts';
import { readInput } from '../input.ts';
import { looksLikeReference, parseReference } from '../reference.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'Submit a workflow (a file, or a deployed namespace/name/version) and follow it until it ends',
  arguments: '<file|namespace/name/version>',
  minArguments: 1,
  maxArguments: 1,
  usesRunner: true,
  options: {
    input: { type: 'string', short: 'i', placeholder: 'JSON|@file.json', description: 'workflow input (default {})' },
    id: { type: 'string', placeholder: 'ID', description: 'execution id (default: <file name>-<random>)' },
    detach: { type: 'boolean', short: 'd', description: 'print the execution id and return at once' },
  },
  examples: [
    'baton run examples/hello.yaml --input \'{"name":"Ada"}\'',
    'baton run order.yaml --input @order.json --id order-42 --detach',
    'baton run shop/order/1.0.0 --input @order.json   (a deployed document)',
  ],
  async run(context) {
    const file = context.positionals[0]!;
    const source = Bun.file(file);
    const exists = await source.exists();
    // Not a file but namespace/name/version: start the deployed document.
    const reference = !exists && looksLikeReference(file) ? parseReference(file) : undefined;
    if (!exists && !reference) throw new CliError(`workflow file not found: ${file}`, ExitCode.usage);
    const input = await readInput(context.options.input as string | undefined);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new CliError('--input must be a JSON object (the workflow input travels as a protobuf Struct)', ExitCode.usage);
    }
    const executionId = (context.options.id as string | undefined) ?? defaultExecutionId(file);
    const answer = await context.runner().executeAsync({
      workflowExecutionId: executionId,
      workflowYaml: reference ? '' : await source.text(),
      callbackToken: new Uint8Array(),
      input: input as Record<string, unknown>,
      callbackNamespace: '',
      workflowReference: reference,
    });
    if (context.options.detach) {
      context.terminal.out(context.json ? JSON.stringify(answer) : answer.workflowExecutionId);
      return ExitCode.ok;
    }
    // The execution page, when the runner serves one: a person can follow the run there too.
    if (!context.json) context.terminal.out(context.terminal.paint('dim', `execution ${answer.workflowExecutionId}${answer.statusUrl ? `  ${answer.statusUrl}` : ''}`));
    return followExecution(context, answer.workflowExecutionId);
  },
};

function defaultExecutionId(file: string): string {
  const stem = basename(file).replace(/\.(ya?ml|json)$/i, '').replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${stem}-${crypto.randomUUID().slice(0, 8)}`;
}
