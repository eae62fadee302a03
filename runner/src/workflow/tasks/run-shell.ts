import type { RunShellTask } from '@baton/dsl/runtime';
import type { ShellRequest } from '../../contract/index.ts';
import { commonRequest, runActivity, textField } from './run-process.ts';
import type { TaskHandler } from './types.ts';

/** `run: shell`: the evaluated command line, run by the `runShell` activity. */
export const runShellTask: TaskHandler<RunShellTask> = async (run) => {
  const request: ShellRequest = { ...commonRequest(run), command: textField(run, run.task.command, 'command') };
  return runActivity(run, request, `sh ${request.command}`, (activities, checked) => activities.runShell(checked));
};
