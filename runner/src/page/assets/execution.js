// Keeps an execution's page live: each `execution` event of its stream (server-sent events, fed by
// the same watch as the watchExecution rpc) updates the graph, summary, failure, callback, result
// and timeline in place. Values from the execution are only ever set as text, never as markup.
'use strict';
(() => {
  const root = document.getElementById('execution');
  if (!root) return;
  const byId = (id) => document.getElementById(id);
  const MAX_SHOWN_CHARS = 256 * 1024;
  const nodes = new Map();
  for (const node of root.querySelectorAll('.node[data-path]')) nodes.set(node.dataset.path, node);

  const label = (phase) => phase.toLowerCase().replace('_', ' ');
  const shortTime = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
  const took = (start, end) => {
    if (!start || !end) return '—';
    const ms = Date.parse(end) - Date.parse(start);
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  };
  const shown = (value) => {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}\n… (${text.length - MAX_SHOWN_CHARS} more characters)` : text;
  };
  const element = (tag, text, attributes = {}) => {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
    return made;
  };

  // Same choice as the server's failurePosition: the error's instance, else the deepest failed task.
  const failurePosition = (view) => {
    if (view.phase !== 'FAILED') return undefined;
    const failed = view.tasks.filter((task) => task.phase === 'FAILED').map((task) => task.path);
    const instance = view.error && view.error.instance;
    if (instance && (failed.includes(instance) || failed.length === 0)) return instance;
    return failed.sort((a, b) => b.length - a.length)[0];
  };

  // Timeline bars: each task's span against the execution's, drawn through the CSSOM (no inline styles under the CSP).
  const drawBars = (startedAt, endedAt) => {
    const bars = [...root.querySelectorAll('.bar')];
    const starts = bars.map((bar) => Date.parse(bar.dataset.start)).filter(Number.isFinite);
    const from = Date.parse(startedAt || '') || Math.min(...starts);
    const ends = bars.map((bar) => Date.parse(bar.dataset.end)).filter(Number.isFinite);
    const to = Date.parse(endedAt || '') || Math.max(Date.now(), ...ends);
    const total = Math.max(to - from, 1);
    for (const bar of bars) {
      const start = Date.parse(bar.dataset.start);
      if (!Number.isFinite(start)) continue;
      const end = Date.parse(bar.dataset.end) || Date.now();
      bar.style.marginLeft = `${Math.max(0, ((start - from) / total) * 100)}%`;
      bar.style.width = `${Math.max(0.5, ((end - start) / total) * 100)}%`;
    }
  };

  const apply = (view) => {
    const phase = byId('phase');
    phase.textContent = label(view.phase);
    phase.dataset.phase = view.phase;
    byId('current-task').textContent = view.currentTask || '—';
    byId('started-at').textContent = shortTime(view.startedAt);
    byId('completed-at').textContent = shortTime(view.completedAt);
    byId('callback-state').textContent = label(view.callback.state);
    byId('callback-state-detail').textContent = label(view.callback.state);
    byId('callback-error').textContent = view.callback.lastError || '';
    byId('callback-error-row').hidden = !view.callback.lastError;

    const latest = new Map();
    for (const entry of view.tasks) latest.set(entry.path, { entry, runs: (latest.get(entry.path)?.runs ?? 0) + 1 });
    for (const [path, node] of nodes) {
      const seen = latest.get(path);
      const state = seen ? seen.entry.phase : 'NOT_RUN';
      node.dataset.state = state;
      node.querySelector('.state-text').textContent = state === 'NOT_RUN' ? 'not run' : label(state);
      node.querySelector('.runs').textContent = seen && seen.runs > 1 ? ` ×${seen.runs}` : '';
      const error = seen && seen.entry.error;
      const errorText = node.querySelector('.node-error');
      errorText.hidden = !error;
      errorText.textContent = error ? `${error.title || error.type}${error.detail ? `: ${error.detail}` : ''}` : '';
      node.classList.remove('failure-position');
    }

    const failedAt = failurePosition(view);
    byId('failure').hidden = !failedAt;
    if (failedAt) {
      const link = byId('failure-link');
      link.textContent = failedAt;
      const node = nodes.get(failedAt);
      if (node) {
        node.classList.add('failure-position');
        link.href = `#${node.id}`;
      }
      const error = view.error;
      byId('failure-detail').textContent = error ? `: ${error.title || error.type}${error.detail ? ` — ${error.detail}` : ''}` : '';
    }

    const hasOutput = 'output' in view;
    byId('result-output').hidden = !hasOutput;
    byId('value-output').textContent = hasOutput ? shown(view.output) : '';
    byId('result-error').hidden = !view.error;
    byId('value-error').textContent = view.error ? shown(view.error) : '';
    byId('result-none').hidden = hasOutput || Boolean(view.error);

    const rows = byId('timeline-rows');
    rows.replaceChildren(...view.tasks.map((task) => {
      const row = element('tr', undefined, { 'data-state': task.phase });
      const name = element('th', undefined, { scope: 'row' });
      name.append(element('code', task.path));
      const span = element('td', undefined, { class: 'span-cell' });
      span.append(element('span', undefined, { class: 'bar', 'data-start': task.startedAt || '', 'data-end': task.completedAt || '' }));
      const state = element('td', label(task.phase));
      if (task.waitingFor) state.append(element('span', task.waitingFor, { class: 'awaiting' }));
      row.append(name, element('td', task.kind), state, element('td', shortTime(task.startedAt)), element('td', took(task.startedAt, task.completedAt)), span);
      return row;
    }));
    drawBars(view.startedAt, view.completedAt);
    root.dataset.phase = view.phase;
    root.dataset.updates = String(Number(root.dataset.updates || '0') + 1);
  };

  drawBars(byId('started-at').textContent.replace(' ', 'T'), byId('completed-at').textContent.replace(' ', 'T'));
  if (root.dataset.closed === 'true') return;
  const live = byId('live');
  const source = new EventSource(root.dataset.watch);
  source.addEventListener('execution', (event) => {
    apply(JSON.parse(event.data));
    live.textContent = `Live: ${label(root.dataset.phase)}.`;
  });
  source.addEventListener('end', () => {
    source.close();
    root.dataset.closed = 'true';
    live.textContent = `This execution has ended (${label(root.dataset.phase || 'COMPLETED')}).`;
  });
  source.addEventListener('problem', () => {
    live.textContent = 'Lost track of the execution for a moment; reconnecting…';
  });
  source.onerror = () => {
    if (root.dataset.closed !== 'true') live.textContent = 'Connection lost; reconnecting…';
  };
})();
