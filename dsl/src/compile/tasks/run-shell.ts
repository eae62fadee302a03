import { joinPointer } from '../../parse/pointer.ts';
import type { RunShellTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { processFields } from './run-process.ts';

/** `run: shell`: a command line for `/bin/sh -c`, with arguments, environment and stdin. */
export function runShell(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunShellTask | undefined {
  const shell = asObject(run.shell);
  if (!shell || typeof shell.command !== 'string') return undefined;
  const at = joinPointer(site.pointer, 'run', 'shell');
  if (shell.command.trim() === '') {
    site.ctx.error('SW307', joinPointer(at, 'command'), 'the shell command is empty');
    return undefined;
  }
  return {
    ...base,
    kind: 'run.shell',
    command: template(site.ctx, shell.command, joinPointer(at, 'command'), site.scope),
    ...processFields(site, run, shell, at),
  };
}
