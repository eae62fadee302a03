import { joinPointer } from '../../parse/pointer.ts';
import type { WaitTask } from '../../plan.ts';
import { duration } from '../durations.ts';
import type { TaskCompiler } from '../task-site.ts';

export const waitTask: TaskCompiler = (site, base): WaitTask | undefined => {
  const spec = duration(site.ctx, site.body.wait, joinPointer(site.pointer, 'wait'), site.scope);
  return spec ? { ...base, kind: 'wait', duration: spec } : undefined;
};
