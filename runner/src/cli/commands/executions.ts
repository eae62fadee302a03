/** Commands that address an existing execution by id. */
import type { Command } from '../command.ts';
import { ExitCode } from '../errors.ts';
import { followExecution, reportResult } from '../follow.ts';
import { formatTaskLine, phaseName } from '../execution-view.ts';

const byId = { arguments: '<id>', minArguments: 1, maxArguments: 1, usesRunner: true } as const;
const reasonOption = { reason: { type: 'string', placeholder: 'TEXT', description: 'why (recorded with the request)' } } as const;

export const statusCommand: Command = {
  ...byId,
  name: 'status',
  summary: "Show an execution's phase, tasks and result",
  options: {},
  examples: ['baton status order-42', 'baton status order-42 --json'],
  async run(context) {
    const execution = await context.runner().getExecution(context.positionals[0]!);
    if (context.json) return reportResult(context, execution);
    context.terminal.out(`${execution.executionId}  ${context.terminal.paint('bold', phaseName(execution.phase))}`);
    for (const task of execution.tasks) context.terminal.out(formatTaskLine(task, context.terminal));
    return reportResult(context, execution);
  },
};

export const watchCommand: Command = {
  ...byId,
  name: 'watch',
  summary: 'Follow an execution live until it ends',
  options: {},
  examples: ['baton watch order-42'],
  run: (context) => followExecution(context, context.positionals[0]!),
};

export const cancelCommand: Command = {
  ...byId,
  name: 'cancel',
  summary: 'Cancel an execution (--force terminates it at once)',
  options: {
    ...reasonOption,
    force: { type: 'boolean', description: 'terminate instead of cancelling; the callback still fails' },
  },
  examples: ['baton cancel order-42', 'baton cancel order-42 --force --reason "stuck"'],
  async run(context) {
    const id = context.positionals[0]!;
    await context.runner().cancelExecution(id, Boolean(context.options.force), (context.options.reason as string) ?? '');
    return acknowledge(context, id, context.options.force ? 'terminated' : 'cancellation requested');
  },
};

export const pauseCommand: Command = {
  ...byId,
  name: 'pause',
  summary: 'Pause an execution: no new task starts until it is resumed',
  options: reasonOption,
  examples: ['baton pause order-42'],
  async run(context) {
    const id = context.positionals[0]!;
    await context.runner().pauseExecution(id, (context.options.reason as string) ?? '');
    return acknowledge(context, id, 'paused');
  },
};

export const resumeCommand: Command = {
  ...byId,
  name: 'resume',
  summary: 'Resume a paused execution',
  options: reasonOption,
  examples: ['baton resume order-42'],
  async run(context) {
    const id = context.positionals[0]!;
    await context.runner().resumeExecution(id, (context.options.reason as string) ?? '');
    return acknowledge(context, id, 'resumed');
  },
};

function acknowledge(context: Parameters<Command['run']>[0], executionId: string, what: string): ExitCode {
  context.terminal.out(context.json ? JSON.stringify({ executionId, result: what }) : `${executionId}: ${what}`);
  return ExitCode.ok;
}
