/**
 * `baton signal | query | update`: the messages a Zigflow-dialect `listen` receives, sent through
 * the runner (its signalExecution, queryExecution and updateExecution rpcs), so no Temporal client
 * is needed. The name is the listener's `with.id`; the payload is JSON, inline or `@file`.
 */
import type { Command, CommandContext } from '../command.ts';
import { ExitCode } from '../errors.ts';
import { parseJson, readInput } from '../input.ts';

const byIdAndName = { arguments: '<id> <name>', minArguments: 2, maxArguments: 2, usesRunner: true } as const;
const payloadOption = { payload: { type: 'string', placeholder: 'JSON|@FILE', description: 'the payload, inline JSON or @file (default null)' } } as const;

async function payloadOf(context: CommandContext): Promise<unknown> {
  const argument = context.options.payload as string | undefined;
  if (argument === undefined) return null;
  return argument.startsWith('@') ? readInput(argument) : parseJson(argument, '--payload');
}

function answer(context: CommandContext, result: unknown): ExitCode {
  context.terminal.out(context.json ? JSON.stringify({ result }) : JSON.stringify(result, null, 2));
  return ExitCode.ok;
}

export const signalCommand: Command = {
  ...byIdAndName,
  name: 'signal',
  summary: 'Send a signal to an execution (a Zigflow listen of type signal)',
  options: payloadOption,
  examples: ["baton signal order-42 approve --payload '{\"by\":\"ada\"}'"],
  async run(context) {
    const [id, name] = context.positionals as [string, string];
    await context.runner().signalExecution(id, name, await payloadOf(context));
    context.terminal.out(context.json ? JSON.stringify({ executionId: id, result: 'signalled' }) : `${id}: signal ${name} sent`);
    return ExitCode.ok;
  },
};

export const queryCommand: Command = {
  ...byIdAndName,
  name: 'query',
  summary: "Run a query on an execution and print its answer (also after the execution ended)",
  options: {},
  examples: ['baton query order-42 progress'],
  async run(context) {
    const [id, name] = context.positionals as [string, string];
    return answer(context, await context.runner().queryExecution(id, name));
  },
};

export const updateCommand: Command = {
  ...byIdAndName,
  name: 'update',
  summary: 'Send an update to an execution and print its answer (a Zigflow listen of type update)',
  options: payloadOption,
  examples: ["baton update order-42 vote --payload '{\"ok\":true}'"],
  async run(context) {
    const [id, name] = context.positionals as [string, string];
    return answer(context, await context.runner().updateExecution(id, name, await payloadOf(context)));
  },
};
