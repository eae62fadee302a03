/** `emit`: the event is written under `emit.event.with`, and only there. */
import { joinPointer } from '../../parse/pointer.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskRules } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const checkEmitTask: TaskRules = (site) => {
  const { ctx, pointer, scope } = site;
  const event = asObject(asObject(site.body.emit)?.event);
  if (!event) return;
  const at = joinPointer(pointer, 'emit', 'event');
  const properties = asObject(event.with);
  if (!properties) {
    ctx.error('SW201', at, '`emit.event.with` is required: it holds the attributes and data of the event to emit', { atKey: true, hint: 'write emit: { event: { with: { source: …, type: …, data: … } } }' });
    return;
  }
  for (const key of Object.keys(event)) {
    if (key !== 'with') ctx.error('SW202', joinPointer(at, key), `'${key}' has no meaning beside \`with\` in \`emit.event\``, { atKey: true, hint: 'put the event attributes under emit.event.with' });
  }
  checkTemplate(ctx, properties, joinPointer(at, 'with'), scope);
};
