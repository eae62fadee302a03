/** Which handler runs which kind of task. */
import type { Task } from '@baton/dsl/runtime';
import { runCallActivity } from './call-activity.ts';
import { runCallCatalogFunction } from './call-catalog-function.ts';
import { runCallFunction } from './call-function.ts';
import { runCallAsyncApi } from './call-asyncapi.ts';
import { runCallGrpc } from './call-grpc.ts';
import { runCallMcp } from './call-mcp.ts';
import { runCallHttp } from './call-http.ts';
import { runCallOpenApi } from './call-openapi.ts';
import { runDo } from './do.ts';
import { runEmit } from './emit.ts';
import { runFor } from './for.ts';
import { runFork } from './fork.ts';
import { runListen } from './listen.ts';
import { runTemporalListen } from './listen-temporal.ts';
import { runRaise } from './raise.ts';
import { runContainerTask } from './run-container.ts';
import { runScriptTask } from './run-script.ts';
import { runShellTask } from './run-shell.ts';
import { runWorkflow } from './run-workflow.ts';
import { runSet } from './set.ts';
import { runSwitch } from './switch.ts';
import { runTry } from './try.ts';
import type { TaskHandler } from './types.ts';
import { runWait } from './wait.ts';

type Handlers = { readonly [K in Task['kind']]: TaskHandler<Extract<Task, { kind: K }>> };

const handlers: Handlers = {
  do: runDo,
  set: runSet,
  switch: runSwitch,
  for: runFor,
  fork: runFork,
  try: runTry,
  raise: runRaise,
  wait: runWait,
  listen: runListen,
  emit: runEmit,
  'call.http': runCallHttp,
  'call.openapi': runCallOpenApi,
  'call.grpc': runCallGrpc,
  'call.mcp': runCallMcp,
  'call.function': runCallFunction,
  'call.catalog': runCallCatalogFunction,
  'call.asyncapi': runCallAsyncApi,
  'call.activity': runCallActivity,
  'run.workflow': runWorkflow,
  'listen.temporal': runTemporalListen,
  'run.shell': runShellTask,
  'run.script': runScriptTask,
  'run.container': runContainerTask,
};

export function handlerFor<T extends Task>(task: T): TaskHandler<T> {
  return handlers[task.kind] as unknown as TaskHandler<T>;
}
