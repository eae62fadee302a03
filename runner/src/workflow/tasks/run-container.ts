import type { RunContainerTask } from '@baton/dsl/runtime';
import type { ContainerRequest } from '../../contract/index.ts';
import { commonRequest, mapField, runActivity, textField } from './run-process.ts';
import type { TaskHandler } from './types.ts';

/** `run: container`: the evaluated image and options, run by the `runContainer` activity. */
export const runContainerTask: TaskHandler<RunContainerTask> = async (run) => {
  const { task } = run;
  const request: ContainerRequest = {
    ...commonRequest(run),
    image: textField(run, task.image, 'image'),
    ...(task.containerName ? { name: textField(run, task.containerName, 'name') } : {}),
    ...(task.command ? { command: textField(run, task.command, 'command') } : {}),
    ports: mapField(run, task.ports, 'ports'),
    volumes: mapField(run, task.volumes, 'volumes'),
    pullPolicy: task.pullPolicy,
    cleanup: task.cleanup,
  };
  return runActivity(run, request, `container ${request.image}`, (activities, checked) => activities.runContainer(checked));
};
