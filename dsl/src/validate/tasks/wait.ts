import { isStrictExpression } from '../../document/expression-checker.ts';
import { joinPointer } from '../../parse/pointer.ts';
import { parseTimestamp } from '../../timestamp.ts';
import { asObject } from '../../document/values.ts';
import { checkDuration } from '../durations.ts';
import { checkTemplate } from '../expressions.ts';
import type { TaskRules, TaskSite } from '../task-site.ts';

export const checkWaitTask: TaskRules = (site) => {
  const pointer = joinPointer(site.pointer, 'wait');
  const body = asObject(site.body.wait);
  if (body && Object.hasOwn(body, 'until')) checkWaitUntil(site, body.until, joinPointer(pointer, 'until'));
  else checkDuration(site.ctx, site.body.wait, pointer, site.scope);
};

/** Zigflow's `wait.until`: a written instant is checked now, a computed one when it runs. */
function checkWaitUntil(site: TaskSite, value: unknown, pointer: string): void {
  const { ctx } = site;
  if (ctx.dialect !== 'zigflow') {
    ctx.error('SW202', pointer, "'wait.until' is Zigflow's; a Serverless Workflow document waits for a duration", {
      atKey: true,
      hint: 'write a duration such as wait: { minutes: 5 }, or write the document in Zigflow\'s dialect (document.taskQueue / workflowType)',
    });
    return;
  }
  if (isStrictExpression(value)) {
    checkTemplate(ctx, value, pointer, site.scope);
    return;
  }
  const parsed = parseTimestamp(value);
  if (!parsed.ok) ctx.error('SW303', pointer, parsed.message);
}
