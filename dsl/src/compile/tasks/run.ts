import type { RunWorkflowTask } from '../../plan.ts';
import { template } from '../expressions.ts';
import type { TaskBaseFields, TaskCompiler, TaskSite } from '../task-site.ts';
import { asBoolean, asObject, asString } from '../../document/values.ts';
import type { JsonObject } from '../../document/values.ts';
import { runContainer } from './run-container.ts';
import { runScript } from './run-script.ts';
import { runShell } from './run-shell.ts';

export const runTask: TaskCompiler = (site, base) => {
  const run = asObject(site.body.run)!;
  if (run.shell !== undefined) return runShell(site, base, run);
  if (run.script !== undefined) return runScript(site, base, run);
  if (run.container !== undefined) return runContainer(site, base, run);
  return runWorkflow(site, base, run);
};

function runWorkflow(site: TaskSite, base: TaskBaseFields, run: JsonObject): RunWorkflowTask {
  const { ctx } = site;
  const workflow = asObject(run.workflow)!;
  const namespace = String(workflow.namespace);
  const name = String(workflow.name);
  const version = asString(workflow.version) ?? 'latest';
  const sibling = ctx.siblingWorkflows.has(name) && namespace === ctx.documentNamespace && version === ctx.documentVersion;
  return {
    ...base,
    kind: 'run.workflow',
    workflow: { namespace, name, version, ...(workflow.input === undefined ? {} : { input: template(ctx, workflow.input) }) },
    await: asBoolean(run.await) ?? true,
    ...(sibling ? { sibling: true as const } : {}),
  };
}
