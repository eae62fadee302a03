import { joinPointer } from '../../parse/pointer.ts';
import { checkRuntimeExpression } from '../expressions.ts';
import { checkFlowTarget } from '../flow.ts';
import type { TaskRules } from '../task-site.ts';
import { asArray, asObject, singleEntry } from '../../document/values.ts';

/** A switch has at most one default case (one without `when`). */
export const checkSwitchTask: TaskRules = (site) => {
  const { ctx, pointer, scope } = site;
  let defaultCase: string | undefined;
  (asArray(site.body.switch) ?? []).forEach((item, index) => {
    const entry = singleEntry(item);
    const body = entry && asObject(entry[1]);
    if (!entry || !body) return;
    const [name] = entry;
    const casePointer = joinPointer(pointer, 'switch', index, name);
    checkRuntimeExpression(ctx, body.when, joinPointer(casePointer, 'when'), scope);
    if (typeof body.when !== 'string') {
      if (defaultCase !== undefined) {
        ctx.error('SW302', casePointer, `case '${name}' is a second default case (no \`when\`); '${defaultCase}' is already the default`, {
          atKey: true,
          hint: 'give one of them a `when` condition',
        });
      }
      defaultCase ??= name;
    }
    checkFlowTarget(ctx, body.then, joinPointer(casePointer, 'then'), site.siblings);
  });
};
