import type { SetTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';

export const setTask: TaskCompiler = (site, base): SetTask => ({ ...base, kind: 'set', set: template(site.ctx, site.body.set) });
