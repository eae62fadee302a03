import { joinPointer } from '../../parse/pointer.ts';
import type { WaitTask, WaitUntil } from '../../plan.ts';
import { parseTimestamp } from '../../timestamp.ts';
import { asObject } from '../../document/values.ts';
import { duration } from '../durations.ts';
import { isStrictExpression, template } from '../expressions.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';

export const waitTask: TaskCompiler = (site, base): WaitTask | undefined => {
  const pointer = joinPointer(site.pointer, 'wait');
  const body = asObject(site.body.wait);
  if (body && Object.hasOwn(body, 'until')) {
    const until = waitUntil(site, body.until, joinPointer(pointer, 'until'));
    return until ? { ...base, kind: 'wait', duration: until } : undefined;
  }
  const spec = duration(site.ctx, site.body.wait, pointer, site.scope);
  return spec ? { ...base, kind: 'wait', duration: spec } : undefined;
};

/** Zigflow's `wait.until`: a written instant is checked now, a computed one when it runs. */
function waitUntil(site: TaskSite, value: unknown, pointer: string): WaitUntil | undefined {
  const { ctx } = site;
  if (ctx.dialect !== 'zigflow') {
    ctx.error('SW202', pointer, "'wait.until' is Zigflow's; a Serverless Workflow document waits for a duration", {
      atKey: true,
      hint: 'write a duration such as wait: { minutes: 5 }, or write the document in Zigflow\'s dialect (document.taskQueue / workflowType)',
    });
    return undefined;
  }
  if (isStrictExpression(value)) return { kind: 'until', value: template(ctx, value, pointer, site.scope) };
  const parsed = parseTimestamp(value);
  if (!parsed.ok) {
    ctx.error('SW303', pointer, parsed.message);
    return undefined;
  }
  return { kind: 'until', value: { kind: 'literal', value } };
}
