import type { TaskCompiler } from '../task-site.ts';

/** Valid Serverless Workflow that Baton cannot execute yet: rejected, never silently skipped. */
export function unsupportedTask(key: string, what: string): TaskCompiler {
  return (site) => {
    site.ctx.error('SW500', `${site.pointer}/${key}`, `\`${key}\` tasks (${what}) are not supported yet`, { atKey: true });
    return undefined;
  };
}
