/**
 * What `baton validate --explain` says about a document's dialect: which semantics it gets and,
 * for Zigflow's, each difference from the specification that applies to this document
 * (docs/zigflow.md has them side by side).
 */
import type { Plan, Task } from '@baton/dsl';

export interface DialectExplanation {
  readonly dialect: 'spec' | 'zigflow';
  readonly differences: readonly string[];
}

const ALWAYS: readonly string[] = [
  '$input is the workflow input in every task (the specification: the task input)',
  '`.` is null in task definitions; results travel through $output (the most recent task output), $data and $context',
  'output.as and export.as both see the raw result as `.`; in export.as $output is the shaped output (the specification: export.as sees the shaped output)',
  '$data holds every set result (merged) and every call/run result under its task name; $env is the runner-configured map',
  "Baton's own errors carry Zigflow's types (https://zigflow.dev/spec/1.0.0/errors/<type>), and catch filters treat them as the standard types they name (the specification: https://serverlessworkflow.io/spec/1.0.0/errors/<type>)",
];

export function explainDialect(plan: Plan): DialectExplanation {
  if (plan.dialect !== 'zigflow') return { dialect: 'spec', differences: [] };
  const differences = [...ALWAYS];
  const tasks = [...walk(plan.do)];
  if (tasks.some((task) => task.kind === 'fork' && !task.compete)) {
    differences.push('a non-competing fork outputs an object keyed by branch name (the specification: an array in declaration order)');
  }
  if (plan.workflows) {
    differences.push(
      `the top-level tasks are all \`do\`: one workflow type per task (${plan.workflows.join(', ')}); an execution of the file runs '${plan.entry}' (the specification: one sequential workflow)`,
    );
  }
  if (tasks.some((task) => task.kind === 'run.workflow' && task.sibling)) {
    differences.push('run.workflow.type names a workflow of this same file, started as a child from this file');
  }
  if (tasks.some((task) => task.kind === 'listen.temporal')) {
    differences.push('listen receives Temporal signals, queries and updates named by with.id, sent to the execution id (the specification: CloudEvents)');
  }
  if (plan.schedule) {
    differences.push(
      `document.metadata.scheduleWorkflowName/scheduleInput${plan.scheduleId ? '/scheduleId' : ''} decide what the deployment's schedule starts: '${plan.document.name}' with ${plan.scheduleInput ? 'scheduleInput\'s argument (its $env read when the schedule is written)' : 'input {}'}${plan.scheduleId ? `, under the Temporal Schedule id '${plan.scheduleId}'` : ''} (the specification: metadata is free-form)`,
    );
  }
  if (tasks.some(usesGeneratedValues)) {
    differences.push('uuid, timestamp and timestamp_iso8601 come from workflow randomness and workflow time, so they replay identically');
  }
  return { dialect: 'zigflow', differences };
}

function* walk(tasks: readonly Task[]): Generator<Task> {
  for (const task of tasks) {
    yield task;
    if (task.kind === 'do' || task.kind === 'for') yield* walk(task.do);
    else if (task.kind === 'fork') yield* walk(task.branches);
    else if (task.kind === 'try') {
      yield* walk(task.try);
      if (task.catch.do) yield* walk(task.catch.do);
    }
  }
}

function usesGeneratedValues(task: Task): boolean {
  return JSON.stringify(task).includes('def uuid:');
}
