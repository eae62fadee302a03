import { joinPointer } from '../../parse/pointer.ts';
import type { RunWorkflowTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskCompiler, TaskSite } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { runContainer } from './run-container.ts';
import { runScript } from './run-script.ts';
import { runShell } from './run-shell.ts';

export const runTask: TaskCompiler = (site, base) => {
  const run = asObject(site.body.run);
  if (!run) return undefined;
  if (run.shell !== undefined) return runShell(site, base, run);
  if (run.script !== undefined) return runScript(site, base, run);
  if (run.container !== undefined) return runContainer(site, base, run);
  return runWorkflow(site, base, run);
};

function runWorkflow(site: TaskSite, base: Parameters<TaskCompiler>[1], run: JsonObject): RunWorkflowTask | undefined {
  const { ctx, pointer, scope } = site;
  const workflow = asObject(run.workflow);
  if (!workflow) return undefined;
  const namespace = asString(workflow.namespace);
  const name = asString(workflow.name);
  if (namespace === undefined || name === undefined) return undefined;
  const version = asString(workflow.version) ?? 'latest';
  const sibling = ctx.siblingWorkflows.has(name) && namespace === ctx.documentNamespace && version === ctx.documentVersion;
  const input = workflow.input === undefined ? undefined : template(ctx, workflow.input, joinPointer(pointer, 'run', 'workflow', 'input'), scope);
  return {
    ...base,
    kind: 'run.workflow',
    workflow: { namespace, name, version, ...(input ? { input } : {}) },
    await: asBoolean(run.await) ?? true,
    ...(sibling ? { sibling: true as const } : {}),
  };
}
