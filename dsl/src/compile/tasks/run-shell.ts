/** `run: shell`: a command line for `/bin/sh -c`, with arguments, environment and stdin. */
import type { RunShellTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { processFields } from './run-process.ts';

export function runShell(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunShellTask {
  const shell = asObject(run.shell)!;
  return { ...base, kind: 'run.shell', command: template(site.ctx, shell.command), ...processFields(site.ctx, run, shell) };
}
