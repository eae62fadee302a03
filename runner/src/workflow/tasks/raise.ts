import type { RaiseTask } from '@baton/dsl/runtime';
import { compactError, WorkflowErrorException, workflowError } from '../../contract/index.ts';
import type { TaskHandler } from './types.ts';

/** Faults with the RFC 7807 error the task describes; `instance` defaults to the task reference. */
export const runRaise: TaskHandler<RaiseTask> = async ({ task, input, execution, args }) => {
  const evaluationArgs = args();
  const field = (template: RaiseTask['error']['title']) =>
    template === undefined ? undefined : execution.evaluator.template(template, input, evaluationArgs, task.reference);
  const type = field(task.error.type);
  const status = field(task.error.status);
  if (typeof type !== 'string' || typeof status !== 'number' || !Number.isInteger(status)) {
    throw workflowError('validation', {
      title: 'Invalid error definition',
      detail: `raise needs a string type and an integer status, got ${JSON.stringify(type)} and ${JSON.stringify(status)}`,
      instance: task.reference,
    });
  }
  const text = (value: unknown) => (value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value));
  throw new WorkflowErrorException(
    compactError({
      type,
      status,
      title: text(field(task.error.title)),
      detail: text(field(task.error.detail)),
      instance: text(field(task.error.instance)) ?? task.reference,
    }),
  );
};
