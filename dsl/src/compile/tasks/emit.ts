/** `emit`: the event's attributes and data (`emit.event.with`), each may be an expression. */
import type { EmitTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const emitTask: TaskCompiler = (site, base): EmitTask => ({
  ...base,
  kind: 'emit',
  event: template(site.ctx, asObject(asObject(site.body.emit)?.event)!.with),
});
