import { joinPointer } from '../../parse/pointer.ts';
import type { SwitchCase, SwitchTask } from '../../plan.ts';
import { runtimeExpression } from '../expressions.ts';
import { flowTarget } from '../flow.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asArray, asObject, singleEntry } from '../../document/values.ts';

/** Cases are tried in order; a case without `when` is the default and the switch allows one. */
export const switchTask: TaskCompiler = (site, base): SwitchTask => {
  const { ctx, pointer, scope } = site;
  const cases: SwitchCase[] = [];
  let defaultCase: string | undefined;
  (asArray(site.body.switch) ?? []).forEach((item, index) => {
    const entry = singleEntry(item);
    const body = entry && asObject(entry[1]);
    if (!entry || !body) return;
    const [name] = entry;
    const casePointer = joinPointer(pointer, 'switch', index, name);
    const when = runtimeExpression(ctx, body.when, joinPointer(casePointer, 'when'), scope);
    if (!when) {
      if (defaultCase !== undefined) {
        ctx.error('SW302', casePointer, `case '${name}' is a second default case (no \`when\`); '${defaultCase}' is already the default`, {
          atKey: true,
          hint: 'give one of them a `when` condition',
        });
      }
      defaultCase ??= name;
    }
    cases.push({ name, ...(when ? { when } : {}), then: flowTarget(ctx, body.then, joinPointer(casePointer, 'then'), site.siblings) });
  });
  return { ...base, kind: 'switch', cases };
};
