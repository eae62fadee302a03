import type { RaiseTask } from '../../plan.ts';
import { errorSpec } from '../error-spec.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asObject } from '../../document/values.ts';

export const raiseTask: TaskCompiler = (site, base): RaiseTask => ({ ...base, kind: 'raise', error: errorSpec(site.ctx, asObject(site.body.raise)!.error) });
