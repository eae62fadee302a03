/** `baton emit`: publish one CloudEvent to the runner's event bus (publishEvents). */
import type { Command } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { parseJson } from '../input.ts';

export const emitCommand: Command = {
  name: 'emit',
  summary: 'Publish a CloudEvent to the runner, for executions listening for it',
  arguments: '<type>',
  minArguments: 1,
  maxArguments: 1,
  usesRunner: true,
  options: {
    source: { type: 'string', placeholder: 'URI', description: 'the event source (default: baton-cli)' },
    data: { type: 'string', placeholder: 'JSON', description: 'the event data, as JSON' },
    subject: { type: 'string', placeholder: 'TEXT', description: 'the event subject' },
    id: { type: 'string', placeholder: 'ID', description: 'the event id (default: a new UUID); the bus routes an id once' },
  },
  examples: ['baton emit order.paid --source /shop --subject order-42 --data \'{"total": 12}\''],
  async run(context) {
    const type = context.positionals[0]!;
    const text = context.options.data as string | undefined;
    const data = text === undefined ? undefined : parseJson(text, '--data');
    const subject = context.options.subject as string | undefined;
    const id = (context.options.id as string | undefined) ?? crypto.randomUUID();
    if (id === '') throw new CliError('--id must not be empty', ExitCode.usage);
    await context.runner().publishEvents([
      {
        id,
        source: (context.options.source as string | undefined) ?? 'baton-cli',
        specVersion: '1.0',
        type,
        attributes: {
          ...(subject === undefined ? {} : { subject: { ceString: subject } }),
          ...(data === undefined ? {} : { datacontenttype: { ceString: 'application/json' } }),
        },
        ...(data === undefined ? {} : { textData: JSON.stringify(data) }),
      },
    ]);
    context.terminal.out(context.json ? JSON.stringify({ id, type, result: 'published' }) : `published ${type} (id ${id})`);
    return ExitCode.ok;
  },
};
