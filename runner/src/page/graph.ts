/**
 * The document's graph as HTML: the same flow `baton graph` draws as Mermaid (sequence, `then`
 * jumps, switch cases, loops, fork branches, the catch path), as nested lists so it reads in order
 * without a script and to a screen reader. Each task is one node keyed by its task reference, the
 * path the execution's status names it by, so the page's script can mark its state live.
 */
import type { FlowTarget, Plan, Task } from '@baton/dsl';
import type { TaskPhase } from '../contract/index.ts';
import type { PageTask } from './execution-view.ts';
import { html, type Html } from './html.ts';

/** The newest entry per task path and how many times each ran (loops run a task again). */
export function latestByPath(tasks: readonly PageTask[]): Map<string, { entry: PageTask; runs: number }> {
  const latest = new Map<string, { entry: PageTask; runs: number }>();
  for (const entry of tasks) latest.set(entry.path, { entry, runs: (latest.get(entry.path)?.runs ?? 0) + 1 });
  return latest;
}

export function nodeId(path: string): string {
  return `task-${path.replace(/[^A-Za-z0-9_-]/g, (char) => `_${char.charCodeAt(0).toString(16)}`)}`;
}

export function renderGraph(plan: Plan, tasks: readonly PageTask[]): Html {
  const states = latestByPath(tasks);
  const flow = (list: readonly Task[]): Html => html`<ol class="flow">${list.map(node)}</ol>`;

  const node = (task: Task): Html => {
    const seen = states.get(task.reference);
    const phase: TaskPhase | 'NOT_RUN' = seen?.entry.phase ?? 'NOT_RUN';
    const error = seen?.entry.error;
    return html`<li class="node kind-${task.kind.replace('.', '-')}" id="${nodeId(task.reference)}" tabindex="-1" data-path="${task.reference}" data-state="${phase}">
<div class="node-head"><span class="kind">${task.kind}</span> <span class="name">${task.name}</span>
<span class="state"><span class="visually-hidden">state: </span><span class="state-text">${stateLabel(phase)}</span><span class="runs">${seen && seen.runs > 1 ? ` ×${seen.runs}` : ''}</span></span></div>
${task.if ? html`<div class="note">only if <code>${task.if.jq}</code></div>` : ''}
<div class="node-error"${error ? '' : ' hidden'}>${error ? `${error.title ?? error.type}${error.detail ? `: ${error.detail}` : ''}` : ''}</div>
${inner(task)}
${thenNote(task.then)}
</li>`;
  };

  const inner = (task: Task): Html | '' => {
    switch (task.kind) {
      case 'do':
        return flow(task.do);
      case 'for':
        return html`<div class="note">for each <code>$${task.each}</code> in <code>${task.in.jq}</code>${task.while ? html` while <code>${task.while.jq}</code>` : ''}</div>${flow(task.do)}`;
      case 'fork':
        return html`<div class="note">${task.compete ? 'branches compete: the first to finish wins' : 'branches run together'}</div>
<div class="branches">${task.branches.map((branch) => html`<ol class="flow branch">${node(branch)}</ol>`)}</div>`;
      case 'try':
        return html`${flow(task.try)}${task.catch.do && task.catch.do.length > 0
          ? html`<div class="catch"><div class="note">on error, as <code>$${task.catch.as}</code>:</div>${flow(task.catch.do)}</div>`
          : html`<div class="note">errors caught and dropped</div>`}`;
      case 'switch':
        return html`<ul class="cases">${task.cases.map((branch) => html`<li>${branch.when ? html`when <code>${branch.when.jq}</code>` : 'otherwise'} → ${targetName(branch.then)}</li>`)}</ul>`;
      default:
        return '';
    }
  };

  return html`<div class="graph"><div class="terminal">start: ${plan.document.name} ${plan.document.version}</div>${flow(plan.do)}<div class="terminal">end</div></div>`;
}

function thenNote(then: FlowTarget): Html | '' {
  return then.kind === 'continue' ? '' : html`<div class="note then">then → ${targetName(then)}</div>`;
}

function targetName(target: FlowTarget): string {
  switch (target.kind) {
    case 'continue':
      return 'next task';
    case 'exit':
      return 'leave this list';
    case 'end':
      return 'end';
    case 'goto':
      return target.name;
  }
}

export function stateLabel(phase: TaskPhase | 'NOT_RUN'): string {
  return phase === 'NOT_RUN' ? 'not run' : phase.toLowerCase();
}
