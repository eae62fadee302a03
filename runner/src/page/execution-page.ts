/**
 * One execution: summary, failure position, the document's graph with each task's state, the
 * callback, input, output or error, a timeline and the YAML with its diagnostics. The page is
 * complete without a script; `execution.js` then keeps it live from the event stream.
 */
import { compileWorkflow, type Diagnostic } from '@baton/dsl';
import { html, json, type Html } from './html.ts';
import type { ExecutionStart } from './execution-start.ts';
import { failurePosition, type PageView } from './execution-view.ts';
import { nodeId, renderGraph } from './graph.ts';
import { PAGE_PREFIX } from './layout.ts';
import { shortTime } from './list-page.ts';

/** Longest value shown whole; past it the page shows the start and says so. */
const MAX_SHOWN_CHARS = 256 * 1024;

export interface ExecutionPageData {
  readonly view: PageView;
  readonly start: ExecutionStart;
  /** The Temporal Web UI link for this run, when the runner knows where the UI is. */
  readonly temporalUrl?: string;
}

export function renderExecution({ view, start, temporalUrl }: ExecutionPageData): Html {
  const id = view.executionId;
  const document = start.plan?.document;
  const failedAt = failurePosition(view);
  return html`<div id="execution" data-watch="${PAGE_PREFIX}/${encodeURIComponent(id)}/watch" data-closed="${String(view.closed)}">
<p class="crumbs"><a href="${PAGE_PREFIX}">Executions</a> /</p>
<h1>${id}</h1>
${document ? html`<p class="document">${document.namespace}/${document.name} <span class="version">${document.version}</span>${document.title ? html` — ${document.title}` : ''}</p>` : ''}
<dl class="summary">
<div><dt>Phase</dt><dd><span id="phase" class="badge" data-phase="${view.phase}">${view.phase.toLowerCase().replace('_', ' ')}</span></dd></div>
<div><dt>Current task</dt><dd id="current-task">${view.currentTask ?? '—'}</dd></div>
<div><dt>Started</dt><dd id="started-at">${view.startedAt ? shortTime(view.startedAt) : '—'}</dd></div>
<div><dt>Ended</dt><dd id="completed-at">${view.completedAt ? shortTime(view.completedAt) : '—'}</dd></div>
<div><dt>Callback</dt><dd id="callback-state">${view.callback.state.toLowerCase().replace('_', ' ')}</dd></div>
${temporalUrl ? html`<div><dt>Temporal</dt><dd><a href="${temporalUrl}" rel="noreferrer">Open in the Temporal Web UI</a></dd></div>` : ''}
</dl>
<p id="live" class="live" role="status" aria-live="polite">${view.closed ? 'This execution has ended.' : 'Live: the page updates as the execution runs.'}</p>
<div id="failure" class="failure" role="alert"${failedAt ? '' : ' hidden'}>Failed at <a id="failure-link" href="#${failedAt ? nodeId(failedAt) : ''}">${failedAt ?? ''}</a><span id="failure-detail">${view.error ? `: ${view.error.title ?? view.error.type}${view.error.detail ? ` — ${view.error.detail}` : ''}` : ''}</span></div>

<section aria-labelledby="graph-title"><h2 id="graph-title">Graph</h2>
${start.plan ? renderGraph(start.plan, view.tasks) : html`<p class="empty">This runner cannot read the execution's plan (written with another codec key?).</p>`}
</section>

<section aria-labelledby="callback-title"><h2 id="callback-title">Callback</h2>
<p>State: <strong id="callback-state-detail">${view.callback.state.toLowerCase().replace('_', ' ')}</strong></p>
<p id="callback-error-row"${view.callback.lastError ? '' : ' hidden'}>Last error: <code id="callback-error">${view.callback.lastError ?? ''}</code></p>
</section>

<div class="values">
<section aria-labelledby="input-title"><h2 id="input-title">Input</h2>${'input' in start ? value(start.input, 'input') : html`<p class="empty">Not readable here.</p>`}</section>
<section aria-labelledby="result-title"><h2 id="result-title">Output or error</h2>
<div id="result-output"${view.output !== undefined ? '' : ' hidden'}><h3>Output</h3>${value(view.output, 'output')}</div>
<div id="result-error"${view.error ? '' : ' hidden'}><h3>Error</h3>${value(view.error, 'error')}</div>
<p id="result-none" class="empty"${view.output !== undefined || view.error ? ' hidden' : ''}>None yet.</p>
</section>
</div>

<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>
<table class="timeline"><caption class="visually-hidden">Tasks in the order they started</caption>
<thead><tr><th scope="col">Task</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Started</th><th scope="col">Took</th><th scope="col"><span class="visually-hidden">Span</span></th></tr></thead>
<tbody id="timeline-rows">${view.tasks.map((task) => html`<tr data-state="${task.phase}">
<th scope="row"><code>${task.path}</code></th><td>${task.kind}</td><td>${task.phase.toLowerCase()}${task.waitingFor ? html`<span class="awaiting">${task.waitingFor}</span>` : ''}</td>
<td>${task.startedAt ? shortTime(task.startedAt) : '—'}</td><td>${took(task.startedAt, task.completedAt)}</td>
<td class="span-cell"><span class="bar" data-start="${task.startedAt ?? ''}" data-end="${task.completedAt ?? ''}"></span></td></tr>`)}</tbody>
</table>
</section>

<section aria-labelledby="yaml-title"><h2 id="yaml-title">Document</h2>
${start.source !== undefined ? renderSource(start.source) : html`<p class="empty">The document's text was not kept with this execution (started by reference, or larger than 64 KiB).</p>`}
</section>
</div>`;
}

function value(data: unknown, name: string): Html {
  const text = json(data);
  const shown = text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}\n… (${text.length - MAX_SHOWN_CHARS} more characters)` : text;
  return html`<pre class="value" id="value-${name}" tabindex="0">${shown}</pre>`;
}

function took(startedAt: string | undefined, completedAt: string | undefined): string {
  if (!startedAt || !completedAt) return '—';
  const ms = Date.parse(completedAt) - Date.parse(startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The YAML with line numbers, lines with a diagnostic marked, and the diagnostics listed with links to their lines. */
function renderSource(source: string): Html {
  const compiled = compileWorkflow(source, { file: 'workflow_yaml' });
  const diagnostics: readonly Diagnostic[] = compiled.ok ? compiled.warnings : compiled.diagnostics;
  const marked = new Map<number, Diagnostic[]>();
  for (const diagnostic of diagnostics) marked.set(diagnostic.line, [...(marked.get(diagnostic.line) ?? []), diagnostic]);
  const lines = source.split('\n');
  return html`${diagnostics.length === 0
    ? html`<p class="diagnostics-none">No diagnostics: the document validates cleanly.</p>`
    : html`<ul class="diagnostics">${diagnostics.map((diagnostic) => html`<li data-severity="${diagnostic.severity}"><a href="#L${diagnostic.line}">line ${diagnostic.line}:${diagnostic.column}</a> <span class="code">${diagnostic.code}</span> ${diagnostic.severity}: ${diagnostic.message}</li>`)}</ul>`}
<pre class="source" tabindex="0" aria-label="The workflow document">${lines.map((line, index) => {
    const found = marked.get(index + 1);
    return html`<span class="line${found ? ' marked' : ''}" id="L${index + 1}"${found ? html` title="${found.map((d) => `${d.code}: ${d.message}`).join('\n')}"` : ''}><span class="number" aria-hidden="true">${index + 1}</span>${line}\n</span>`;
  })}</pre>`;
}
