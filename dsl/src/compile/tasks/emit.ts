/** `emit`: the event's attributes and data (`emit.event.with`), each may be an expression. */
import { joinPointer } from '../../parse/pointer.ts';
import type { EmitTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const emitTask: TaskCompiler = (site, base): EmitTask | undefined => {
  const { ctx, pointer, scope } = site;
  const event = asObject(asObject(site.body.emit)?.event);
  if (!event) return undefined;
  const at = joinPointer(pointer, 'emit', 'event');
  const properties = asObject(event.with);
  if (!properties) {
    ctx.error('SW201', at, '`emit.event.with` is required: it holds the attributes and data of the event to emit', { atKey: true, hint: 'write emit: { event: { with: { source: …, type: …, data: … } } }' });
    return undefined;
  }
  for (const key of Object.keys(event)) {
    if (key !== 'with') ctx.error('SW202', joinPointer(at, key), `'${key}' has no meaning beside \`with\` in \`emit.event\``, { atKey: true, hint: 'put the event attributes under emit.event.with' });
  }
  return { ...base, kind: 'emit', event: template(ctx, properties, joinPointer(at, 'with'), scope) };
};
