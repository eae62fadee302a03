import { executeChild, ParentClosePolicy, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { RunWorkflowTask } from '@baton/dsl/runtime';
import { catalogueKey, INTERPRETER_WORKFLOW_TYPE, referencedCatalogue, workflowError } from '../../contract/index.ts';
import type { DeploymentLookupActivities, InterpreterArgs } from '../../contract/index.ts';
import { toWorkflowError } from '../failures.ts';
import { checkPayload } from '../payload-limit.ts';
import type { TaskHandler } from './types.ts';

/** Set on runs that may look documents up among the deployments (older histories never did). */
export const DEPLOYED_WORKFLOWS_PATCH = 'baton-run-workflow-deployed';

const { lookUpDeployment } = proxyActivities<DeploymentLookupActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', maximumAttempts: 10 },
});

/**
 * Children used to be named `<execution id><task>#<workflow time>`, which repeats when the same task
 * starts two children within one workflow task (a loop of `await: false` runs). Recorded histories
 * carry the old ids; replay keeps them.
 */
export const SEQUENCED_CHILD_IDS_PATCH = 'baton-sequenced-child-ids';

/**
 * Children this run has started. Module state is per execution (the worker loads workflow modules
 * once per execution); with the run id it makes each child id unique, also across continue-as-new.
 */
let childrenStarted = 0;

/**
 * Runs another document, from the catalogue the execution carries or else from the deployments,
 * as a child interpreter workflow. With `await: false` the child is started, outlives this
 * execution, and the task passes its input through.
 */
export const runWorkflow: TaskHandler<RunWorkflowTask> = async ({ task, input, execution, args }) => {
  const { namespace, name, version } = task.workflow;
  const key = catalogueKey({ namespace, name, version });
  // Zigflow: another workflow type of the same file runs from this very plan.
  let plan = task.sibling ? { ...execution.plan, entry: name } : execution.args.catalogue?.[key];
  // The look-up is an activity, so its answer is in history and replays; only the referenced plan travels.
  if (!plan && patched(DEPLOYED_WORKFLOWS_PATCH)) {
    try {
      plan = await lookUpDeployment({ namespace, name, version });
    } catch (error) {
      throw toWorkflowError(error, task.reference, 'communication');
    }
  }
  if (!plan) {
    throw workflowError('configuration', {
      title: 'Unknown workflow',
      detail: `run.workflow names ${key}, which is neither deployed nor in the runner's catalogue`,
      instance: task.reference,
    });
  }
  const childInput = task.workflow.input
    ? execution.evaluator.template(task.workflow.input, input, args(), task.reference)
    : input;
  // Derived from workflow input and this run's id, so it is the same on replay wherever the history runs.
  const childId = patched(SEQUENCED_CHILD_IDS_PATCH)
    ? `${execution.args.executionId}${task.reference}#${workflowInfo().runId}.${childrenStarted++}`
    : `${execution.args.executionId}${task.reference}#${Date.now()}`;
  // Only what the child itself may run travels with it.
  const catalogue = referencedCatalogue(plan, execution.args.catalogue);
  const childArgs: InterpreterArgs = {
    executionId: childId,
    plan,
    input: childInput,
    ...(catalogue ? { catalogue } : {}),
    ...(execution.args.limits ? { limits: execution.args.limits } : {}),
    ...(execution.args.env ? { env: execution.args.env } : {}),
  };
  checkPayload(childArgs, execution.maxPayloadBytes, `the input of child workflow ${key} started by task ${task.reference}`, task.reference);
  const options = {
    workflowId: childId,
    args: [childArgs],
    staticSummary: `${task.reference}: run ${key}`,
  };
  try {
    if (!task.await) {
      await startChild(INTERPRETER_WORKFLOW_TYPE, { ...options, parentClosePolicy: ParentClosePolicy.ABANDON });
      return { output: input };
    }
    return { output: await executeChild(INTERPRETER_WORKFLOW_TYPE, options) };
  } catch (error) {
    throw toWorkflowError(error, task.reference, 'runtime');
  }
};
