/** Commands for deployed documents and their schedules. */
import { Deployment, DeployResponse, Schedule } from '@baton/proto';
import type { Command, CommandContext } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { formatReference, parseReference } from '../reference.ts';

const namespaceOption = { namespace: { type: 'string', placeholder: 'NS', description: 'only documents in this document namespace' } } as const;

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Deploy workflow documents under their namespace/name/version (schedules start with them)',
  arguments: '<files…>',
  minArguments: 1,
  usesRunner: true,
  options: {},
  examples: ['baton deploy examples/hello.yaml', 'baton deploy flows/*.yaml --json'],
  async run(context) {
    const answers: DeployResponse[] = [];
    for (const file of context.positionals) {
      const source = Bun.file(file);
      if (!(await source.exists())) throw new CliError(`workflow file not found: ${file}`, ExitCode.usage);
      let answer: DeployResponse;
      try {
        answer = await context.runner().deploy(await source.text());
      } catch (error) {
        if (error instanceof CliError) throw new CliError(`${file}: ${error.message}`, error.exitCode);
        throw error;
      }
      answers.push(answer);
      if (!context.json) {
        const deployment = answer.deployment;
        const scheduled = deployment?.schedule ? `  ${context.terminal.paint('cyan', deployment.schedule)}` : '';
        context.terminal.out(`${formatReference(deployment?.reference)}  ${answer.message}${scheduled}`);
      }
    }
    if (context.json) context.terminal.out(JSON.stringify(answers.map((answer) => ({ ...(DeployResponse.toJSON(answer) as object), changed: answer.changed }))));
    return ExitCode.ok;
  },
};

export const undeployCommand: Command = {
  name: 'undeploy',
  summary: 'Remove a deployed document and its schedule (running executions go on)',
  arguments: '<namespace/name/version>',
  minArguments: 1,
  maxArguments: 1,
  usesRunner: true,
  options: {},
  examples: ['baton undeploy examples/hello/1.0.0'],
  async run(context) {
    const reference = parseReference(context.positionals[0]!);
    await context.runner().undeploy(reference);
    const key = formatReference(reference);
    context.terminal.out(context.json ? JSON.stringify({ reference: key, result: 'undeployed' }) : `${key}: undeployed`);
    return ExitCode.ok;
  },
};

export const deploymentsCommand: Command = {
  name: 'deployments',
  summary: 'List the deployed documents',
  arguments: '',
  minArguments: 0,
  maxArguments: 0,
  usesRunner: true,
  options: namespaceOption,
  examples: ['baton deployments', 'baton deployments --namespace billing --json'],
  async run(context) {
    const deployments = await context.runner().listDeployments(namespaceOf(context));
    if (context.json) {
      context.terminal.out(JSON.stringify(deployments.map((deployment) => Deployment.toJSON(deployment))));
      return ExitCode.ok;
    }
    if (deployments.length === 0) context.terminal.out(context.terminal.paint('dim', 'nothing is deployed'));
    for (const deployment of deployments) {
      const at = deployment.deployedAt?.toISOString() ?? '';
      const schedule = deployment.schedule ? `  ${context.terminal.paint('cyan', deployment.schedule)}` : '';
      context.terminal.out(`${formatReference(deployment.reference)}  revision ${deployment.revision}  ${context.terminal.paint('dim', at)}${schedule}`);
    }
    return ExitCode.ok;
  },
};

const SCHEDULE_CHANGES = ['pause', 'resume', 'trigger'] as const;
type ScheduleChange = (typeof SCHEDULE_CHANGES)[number];

export const schedulesCommand: Command = {
  name: 'schedules',
  summary: 'List the schedules with their next runs; pause, resume or trigger one',
  arguments: '[pause|resume|trigger <namespace/name/version>]',
  minArguments: 0,
  maxArguments: 2,
  usesRunner: true,
  options: {
    ...namespaceOption,
    reason: { type: 'string', placeholder: 'TEXT', description: 'why (kept as the schedule note on pause/resume)' },
  },
  examples: ['baton schedules', 'baton schedules pause reports/nightly/1.0.0 --reason "maintenance"', 'baton schedules trigger reports/nightly/1.0.0'],
  async run(context) {
    const [change, target] = context.positionals;
    if (change === undefined) return listSchedules(context);
    if (!(SCHEDULE_CHANGES as readonly string[]).includes(change) || target === undefined) {
      throw new CliError(`expected pause, resume or trigger and a namespace/name/version, got "${context.positionals.join(' ')}"`, ExitCode.usage);
    }
    const reference = parseReference(target);
    await context.runner().changeSchedule(change as ScheduleChange, reference, (context.options.reason as string | undefined) ?? '');
    const done = { pause: 'paused', resume: 'resumed', trigger: 'triggered' }[change as ScheduleChange];
    const key = formatReference(reference);
    context.terminal.out(context.json ? JSON.stringify({ reference: key, result: done }) : `${key}: schedule ${done}`);
    return ExitCode.ok;
  },
};

async function listSchedules(context: CommandContext): Promise<ExitCode> {
  const schedules = await context.runner().listSchedules(namespaceOf(context));
  if (context.json) {
    context.terminal.out(JSON.stringify(schedules.map((schedule) => ({ ...(Schedule.toJSON(schedule) as object), paused: schedule.paused }))));
    return ExitCode.ok;
  }
  if (schedules.length === 0) context.terminal.out(context.terminal.paint('dim', 'no schedules'));
  for (const schedule of schedules) {
    // An event trigger has no next run time: its note counts what its events started instead.
    const next = schedule.paused
      ? context.terminal.paint('yellow', `paused${schedule.note ? ` (${schedule.note})` : ''}`)
      : schedule.spec.startsWith('on ')
        ? schedule.note
        : `next ${schedule.nextRunTimes[0]?.toISOString() ?? '—'}`;
    const last = schedule.lastExecutionId ? context.terminal.paint('dim', `  last ${schedule.lastExecutionId}`) : '';
    context.terminal.out(`${formatReference(schedule.reference)}  ${context.terminal.paint('cyan', schedule.spec)}  ${next}${last}`);
  }
  return ExitCode.ok;
}

function namespaceOf(context: CommandContext): string {
  return (context.options.namespace as string | undefined) ?? '';
}
