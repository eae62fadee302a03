/** The list of executions: filters (a GET form, so every filtered view is a link) and one page of rows. */
import type { CallbackState } from '../contract/index.ts';
import { html, type Html } from './html.ts';
import { CALLBACK_STATES, LIST_PHASES, type ListFilters, type ListPage, type ListPhase } from './execution-list.ts';
import { PAGE_PREFIX } from './layout.ts';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface ListQuery {
  readonly filters: ListFilters;
  readonly pageSize: number;
  readonly start?: string;
}

/** The query string, read as untrusted: unknown values are ignored rather than refused. */
export function listQueryOf(url: URL): ListQuery {
  const phase = url.searchParams.get('phase')?.toUpperCase();
  const callback = url.searchParams.get('callback')?.toUpperCase();
  const document = url.searchParams.get('document')?.trim().slice(0, 300);
  const size = Number(url.searchParams.get('size'));
  const start = url.searchParams.get('page');
  return {
    filters: {
      ...((LIST_PHASES as readonly string[]).includes(phase ?? '') ? { phase: phase as ListPhase } : {}),
      ...((CALLBACK_STATES as readonly string[]).includes(callback ?? '') ? { callback: callback as CallbackState } : {}),
      ...(document ? { document } : {}),
    },
    pageSize: Number.isInteger(size) && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE,
    ...(start && /^[A-Za-z0-9_-]{1,4096}$/.test(start) ? { start } : {}),
  };
}

export function renderList(query: ListQuery, result: ListPage): Html {
  const { filters } = query;
  const option = (value: string, selected: string | undefined, label = value.toLowerCase().replace('_', ' ')) =>
    html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
  const nextUrl = new URLSearchParams({
    ...(filters.phase ? { phase: filters.phase } : {}),
    ...(filters.document ? { document: filters.document } : {}),
    ...(filters.callback ? { callback: filters.callback } : {}),
    ...(query.pageSize !== DEFAULT_PAGE_SIZE ? { size: String(query.pageSize) } : {}),
    ...(result.next ? { page: result.next } : {}),
  });
  return html`<h1>Executions</h1>
<form class="filters" method="get" action="${PAGE_PREFIX}" role="search" aria-label="Filter executions">
<label>Phase <select name="phase" id="filter-phase"><option value="">any</option>${LIST_PHASES.map((phase) => option(phase, filters.phase))}</select></label>
<label>Document <input name="document" id="filter-document" value="${filters.document ?? ''}" placeholder="name or namespace/name" autocomplete="off"></label>
<label>Callback <select name="callback" id="filter-callback"><option value="">any</option>${CALLBACK_STATES.map((state) => option(state, filters.callback))}</select></label>
<button type="submit" id="filter-submit">Filter</button>
${filters.phase || filters.document || filters.callback ? html`<a href="${PAGE_PREFIX}">Clear filters</a>` : ''}
</form>
${result.rows.length === 0
    ? html`<p class="empty">No executions${filters.phase || filters.document || filters.callback ? ' match these filters on this page' : ' yet'}.</p>`
    : html`<table class="executions">
<caption class="visually-hidden">Executions, newest first</caption>
<thead><tr><th scope="col">Execution</th><th scope="col">Document</th><th scope="col">Phase</th><th scope="col">Callback</th><th scope="col">Started</th><th scope="col">Closed</th></tr></thead>
<tbody>${result.rows.map((row) => html`<tr data-phase="${row.phase}">
<th scope="row"><a href="${PAGE_PREFIX}/${encodeURIComponent(row.executionId)}">${row.executionId}</a></th>
<td>${row.document ? `${row.document.namespace}/${row.document.name} ${row.document.version}` : '—'}</td>
<td><span class="badge" data-phase="${row.phase}">${row.phase.toLowerCase()}</span></td>
<td>${row.callback ? row.callback.toLowerCase().replace('_', ' ') : '—'}</td>
<td><time datetime="${row.startedAt}">${shortTime(row.startedAt)}</time></td>
<td>${row.closedAt ? html`<time datetime="${row.closedAt}">${shortTime(row.closedAt)}</time>` : '—'}</td>
</tr>`)}</tbody>
</table>`}
${result.next ? html`<p class="paging"><a rel="next" href="${PAGE_PREFIX}?${nextUrl.toString()}">Older executions →</a></p>` : ''}`;
}

export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
