import type { CatalogFunctionCallTask, Task } from '@baton/dsl/runtime';
import { CATALOG_FUNCTION_ACTIVITY_TYPE } from '../../contract/index.ts';
import type { CatalogFunctionRequest } from '../../contract/index.ts';
import { authenticationArguments } from '../authentication.ts';
import { callActivity, callActivityOptions } from '../call-policy.ts';
import { ContinueAsNewRequest } from '../continuation.ts';
import type { TaskCursor } from '../continuation.ts';
import type { TaskHandler } from './types.ts';

/** Where a cataloged function picks up after a continue-as-new: its definition and the cursor inside it. */
interface CatalogCursor {
  readonly body: Task;
  readonly inner: TaskCursor;
}

/**
 * `call: name:version@catalog` (or a function named by URL): the runner reads and compiles the definition (an activity, so the
 * definition is in history and a replay runs the same one), then the function runs like a
 * `use.functions` function with the evaluated `with` as its input.
 */
export const runCallCatalogFunction: TaskHandler<CatalogFunctionCallTask> = async ({ task, input, scope, resume, execution, args }) => {
  const cursor = resume as CatalogCursor | undefined;
  let body = cursor?.body;
  if (!body) {
    const request: CatalogFunctionRequest = {
      function: task.function,
      version: task.version,
      catalog: task.catalog,
      ...(task.endpoint !== undefined ? { endpoint: task.endpoint } : {}),
      ...(task.url !== undefined ? { url: task.url } : {}),
      ...(task.authentication ? { authentication: authenticationArguments(task.authentication, input, args(), execution) } : {}),
      dsl: execution.plan.document.dsl,
      secrets: execution.plan.secrets,
      taskReference: task.reference,
    };
    const options = callActivityOptions(task, execution, `${task.reference}: ${task.url ?? `${task.function}:${task.version}@${task.catalog}`}`);
    body = (await callActivity(task, options, CATALOG_FUNCTION_ACTIVITY_TYPE, [request], 'communication')) as Task;
  }
  const functionInput = cursor ? cursor.inner.rawInput : task.arguments ? execution.evaluator.template(task.arguments, input, args(), task.reference) : input;
  try {
    const outcome = await execution.runTask(body, functionInput, scope, cursor?.inner);
    return { output: outcome.output };
  } catch (error) {
    if (error instanceof ContinueAsNewRequest) throw new ContinueAsNewRequest({ body, inner: error.cursor as TaskCursor } satisfies CatalogCursor);
    throw error;
  }
};
