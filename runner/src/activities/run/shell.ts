/** The `run: shell` activity: the command line run by `/bin/sh -c`, the arguments appended, each quoted. */
import { processEnvironment, runInWorkdir } from './activity-process.ts';
import { refused } from './outcome.ts';
import { checkShellCommand } from './policy.ts';
import type { RunPolicy } from './policy.ts';
import type { ProcessOutput, ShellRequest } from '../../contract/index.ts';

export function createShellActivity(policy: RunPolicy): (request: ShellRequest) => Promise<ProcessOutput> {
  return async (request) => {
    const refusal = checkShellCommand(policy, request.command);
    if (refusal) throw refused(refusal, request.taskReference);
    return runInWorkdir(request, policy, async (workdir) => ({
      what: `the shell command '${clip(request.command)}'`,
      file: '/bin/sh',
      args: ['-c', shellLine(request.command, request.arguments)],
      env: processEnvironment(workdir, request.environment),
      ...(request.stdin === undefined ? {} : { stdin: request.stdin }),
    }));
  };
}

/** Arguments come from data, so each is single-quoted: the shell sees them as words, never as syntax. */
export function shellLine(command: string, args: readonly string[]): string {
  return [command, ...args.map(shellQuote)].join(' ');
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
