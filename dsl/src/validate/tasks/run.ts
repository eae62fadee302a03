/** `run`: a process (shell, script, container) or a workflow. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskRules } from '../task-site.ts';
import { asObject } from '../../document/values.ts';
import { checkRunContainer } from './run-container.ts';
import { checkRunScript } from './run-script.ts';
import { checkRunShell } from './run-shell.ts';

export const checkRunTask: TaskRules = (site) => {
  const run = asObject(site.body.run);
  if (!run) return;
  if (run.shell !== undefined) checkRunShell(site, run);
  else if (run.script !== undefined) checkRunScript(site, run);
  else if (run.container !== undefined) checkRunContainer(site, run);
  else {
    const workflow = asObject(run.workflow);
    if (workflow?.input !== undefined) checkTemplate(site.ctx, workflow.input, joinPointer(site.pointer, 'run', 'workflow', 'input'), site.scope);
  }
};
