import type { SwitchTask } from '../../plan.ts';
import { runtimeExpression } from '../expressions.ts';
import { flowTarget } from '../flow.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asArray, asObject, singleEntry } from '../../document/values.ts';

/** Cases are tried in order; a case without `when` is the default. */
export const switchTask: TaskCompiler = (site, base): SwitchTask => ({
  ...base,
  kind: 'switch',
  cases: (asArray(site.body.switch) ?? []).map((item) => {
    const [name, value] = singleEntry(item)!;
    const body = asObject(value)!;
    const when = runtimeExpression(site.ctx, body.when);
    return { name, ...(when ? { when } : {}), then: flowTarget(body.then, site.siblings) };
  }),
});
