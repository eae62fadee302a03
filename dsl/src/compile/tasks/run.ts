import { joinPointer } from '../../parse/pointer.ts';
import type { RunWorkflowTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';

const PROCESSES: Readonly<Record<string, string>> = {
  container: 'running containers',
  script: 'running scripts',
  shell: 'running shell commands',
};

export const runTask: TaskCompiler = (site, base): RunWorkflowTask | undefined => {
  const { ctx, pointer, scope } = site;
  const run = asObject(site.body.run);
  if (!run) return undefined;
  const runPointer = joinPointer(pointer, 'run');
  for (const [key, what] of Object.entries(PROCESSES)) {
    if (run[key] !== undefined) {
      ctx.error('SW500', joinPointer(runPointer, key), `\`run: ${key}\` (${what}) is not supported yet`, { atKey: true });
      return undefined;
    }
  }
  const workflow = asObject(run.workflow);
  if (!workflow) return undefined;
  const namespace = asString(workflow.namespace);
  const name = asString(workflow.name);
  if (namespace === undefined || name === undefined) return undefined;
  const version = asString(workflow.version) ?? 'latest';
  const sibling = ctx.siblingWorkflows.has(name) && namespace === ctx.documentNamespace && version === ctx.documentVersion;
  const input = workflow.input === undefined ? undefined : template(ctx, workflow.input, joinPointer(runPointer, 'workflow', 'input'), scope);
  return {
    ...base,
    kind: 'run.workflow',
    workflow: { namespace, name, version, ...(input ? { input } : {}) },
    await: asBoolean(run.await) ?? true,
    ...(sibling ? { sibling: true as const } : {}),
  };
};
