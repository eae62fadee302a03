/** `run: container`: an image run through the host's docker or podman CLI. */
import type { RunContainerTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import { staticMs } from '../durations.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { processFields } from './run-process.ts';

const PULL_POLICIES: readonly RunContainerTask['pullPolicy'][] = ['ifNotPresent', 'always', 'never'];

export function runContainer(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunContainerTask {
  const { ctx } = site;
  const container = asObject(run.container)!;
  const field = (key: string, as = key) => (container[key] === undefined ? {} : { [as]: template(ctx, container[key]) });
  const lifetime = asObject(container.lifetime);
  const cleanupKind = asString(lifetime?.cleanup) ?? 'never';
  const cleanup: RunContainerTask['cleanup'] =
    cleanupKind === 'always' ? { kind: 'always' } : cleanupKind === 'eventually' ? { kind: 'eventually', afterMs: staticMs(lifetime?.after)! } : { kind: 'never' };
  const pull = asString(container.pullPolicy) ?? 'ifNotPresent';
  return {
    ...base,
    kind: 'run.container',
    image: template(ctx, container.image),
    ...field('name', 'containerName'),
    ...field('command'),
    ...field('ports'),
    ...field('volumes'),
    pullPolicy: (PULL_POLICIES as readonly string[]).includes(pull) ? (pull as RunContainerTask['pullPolicy']) : 'ifNotPresent',
    cleanup,
    ...processFields(ctx, run, container),
  };
}
