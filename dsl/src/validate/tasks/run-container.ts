/** `run: container`: the image must be named; a cleanup `eventually` needs a fixed delay. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import { checkStaticDuration } from '../durations.ts';
import type { TaskSite } from '../task-site.ts';
import { asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { checkProcessFields } from './run-process.ts';

export function checkRunContainer(site: TaskSite, run: JsonObject): void {
  const { ctx, scope } = site;
  const container = asObject(run.container);
  if (!container || typeof container.image !== 'string') return;
  const at = joinPointer(site.pointer, 'run', 'container');
  if (container.image.trim() === '') {
    ctx.error('SW307', joinPointer(at, 'image'), 'the container image is empty');
    return;
  }
  for (const key of ['image', 'name', 'command', 'ports', 'volumes']) {
    if (container[key] !== undefined) checkTemplate(ctx, container[key], joinPointer(at, key), scope);
  }
  const lifetime = asObject(container.lifetime);
  if (asString(lifetime?.cleanup) === 'eventually') checkStaticDuration(ctx, lifetime?.after, joinPointer(at, 'lifetime', 'after'));
  checkProcessFields(site, container, at);
}
