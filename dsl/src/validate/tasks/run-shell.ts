/** `run: shell`: a command line for `/bin/sh -c`; it must not be empty. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { checkProcessFields } from './run-process.ts';

export function checkRunShell(site: TaskSite, run: JsonObject): void {
  const shell = asObject(run.shell);
  if (!shell || typeof shell.command !== 'string') return;
  const at = joinPointer(site.pointer, 'run', 'shell');
  if (shell.command.trim() === '') {
    site.ctx.error('SW307', joinPointer(at, 'command'), 'the shell command is empty');
    return;
  }
  checkTemplate(site.ctx, shell.command, joinPointer(at, 'command'), site.scope);
  checkProcessFields(site, shell, at);
}
