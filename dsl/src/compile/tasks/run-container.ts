import { joinPointer } from '../../parse/pointer.ts';
import type { RunContainerTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import { staticMs } from '../durations.ts';
import type { TaskBaseFields, TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { processFields } from './run-process.ts';

const PULL_POLICIES: readonly RunContainerTask['pullPolicy'][] = ['ifNotPresent', 'always', 'never'];

/** `run: container`: an image run through the host's docker or podman CLI. */
export function runContainer(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunContainerTask | undefined {
  const { ctx, scope } = site;
  const container = asObject(run.container);
  if (!container || typeof container.image !== 'string') return undefined;
  const at = joinPointer(site.pointer, 'run', 'container');
  if (container.image.trim() === '') {
    ctx.error('SW307', joinPointer(at, 'image'), 'the container image is empty');
    return undefined;
  }
  const field = (key: string, as = key) => (container[key] === undefined ? {} : { [as]: template(ctx, container[key], joinPointer(at, key), scope) });
  const lifetime = asObject(container.lifetime);
  const cleanupKind = asString(lifetime?.cleanup) ?? 'never';
  let cleanup: RunContainerTask['cleanup'] = { kind: 'never' };
  if (cleanupKind === 'always') cleanup = { kind: 'always' };
  else if (cleanupKind === 'eventually') {
    const afterMs = staticMs(ctx, lifetime?.after, joinPointer(at, 'lifetime', 'after'));
    if (afterMs === undefined) return undefined;
    cleanup = { kind: 'eventually', afterMs };
  }
  const pull = asString(container.pullPolicy) ?? 'ifNotPresent';
  return {
    ...base,
    kind: 'run.container',
    image: template(ctx, container.image, joinPointer(at, 'image'), scope),
    ...field('name', 'containerName'),
    ...field('command'),
    ...field('ports'),
    ...field('volumes'),
    pullPolicy: (PULL_POLICIES as readonly string[]).includes(pull) ? (pull as RunContainerTask['pullPolicy']) : 'ifNotPresent',
    cleanup,
    ...processFields(site, run, container, at),
  };
}
