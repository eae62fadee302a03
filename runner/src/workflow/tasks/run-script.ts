import type { RunScriptTask } from '@baton/dsl/runtime';
import type { ScriptRequest } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { commonRequest, evaluator, runActivity, textField } from './run-process.ts';
import type { TaskHandler } from './types.ts';

/** `run: script`: inline code or a source address, run by the `runScript` activity. */
export const runScriptTask: TaskHandler<RunScriptTask> = async (run) => {
  const { task } = run;
  const script: ScriptRequest['script'] =
    task.script.kind === 'code'
      ? { kind: 'code', code: String(evaluator(run)(task.script.code) ?? '') }
      : {
          kind: 'source',
          uri: textField(run, task.script.uri, 'source'),
          ...(task.script.authentication ? { authentication: authenticationArguments(task.script.authentication, run.input, run.args(), run.execution) } : {}),
        };
  const request: ScriptRequest = { ...commonRequest(run), language: task.language, script };
  const what = script.kind === 'source' ? script.uri : 'inline code';
  return runActivity(run, request, `${task.language} ${what}`, (activities, checked) => activities.runScript(checked));
};
