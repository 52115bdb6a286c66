// #/clusters — the project's clusters, refreshed in place.
import { api, session } from '../api.js';
import { age, ageElement, h, icon, loading, panel, replace } from '../dom.js';
import { badge, healthBadge, isTransient, tone } from '../status.js';

export function mount(ctx) {
  document.title = 'Clusters · DISCO';
  const current = session.get();
  const content = h('div', { class: 'clusters-content', id: 'clusters-content' }, loading('Loading clusters…'));
  const summary = h('p', { class: 'muted page-subtitle', id: 'clusters-summary' },
    current && current.project ? `Project ${current.project}` : 'Your project');
  replace(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', { text: 'Clusters' }), summary),
      h('div', { class: 'page-actions' },
        h('a', { class: 'button button-primary', href: '#/create', id: 'new-cluster' }, icon('plus'), 'New cluster'))),
    content);

  let timer = null;
  let stopped = false;
  let controller = null;
  const rows = new Map();
  let table = null;
  let tbody = null;

  const schedule = (ms) => { if (!stopped) timer = setTimeout(refresh, ms); };

  async function refresh() {
    controller = new AbortController();
    let list;
    try {
      list = (await api.clusters(controller.signal)).clusters || [];
    } catch (error) {
      if (stopped || error.name === 'AbortError' || error.status === 401) return;
      table = null;
      rows.clear();
      summary.textContent = current && current.project ? `Project ${current.project}` : 'Your project';
      replace(content, panel({
        tone: 'error', iconName: 'cloudOff',
        title: error.unreachable ? 'The DISCO server cannot be reached' : 'The clusters could not be loaded',
        text: error.unreachable ? 'It may be restarting. This page retries by itself every few seconds.' : error.message,
        actions: [h('button', { type: 'button', class: 'button', onclick: () => { clearTimeout(timer); refresh(); } }, icon('refresh'), 'Try again')],
      }));
      schedule(5000);
      return;
    }
    if (stopped) return;
    list.sort((a, b) => new Date(b.createdAt) - new Date(a.createdAt));
    render(list);
    schedule(list.some((c) => isTransient(c.state)) ? 2000 : 8000);
  }

  function render(list) {
    const counts = list.reduce((acc, c) => { acc[tone(c.state)] = (acc[tone(c.state)] || 0) + 1; return acc; }, {});
    const parts = [current && current.project ? `Project ${current.project}` : 'Your project',
      `${list.length} cluster${list.length === 1 ? '' : 's'}`];
    if (counts.ok) parts.push(`${counts.ok} ready`);
    if (counts.busy) parts.push(`${counts.busy} in progress`);
    if (counts.bad) parts.push(`${counts.bad} failed`);
    const health = list.reduce((acc, c) => { if (c.health) acc[c.health.status] = (acc[c.health.status] || 0) + 1; return acc; }, {});
    if (health.yellow) parts.push(`${health.yellow} degraded`);
    if (health.red) parts.push(`${health.red} unhealthy`);
    summary.textContent = parts.join(' · ');

    if (list.length === 0) {
      table = null;
      rows.clear();
      replace(content, panel({
        tone: 'empty', iconName: 'server', title: 'No clusters yet',
        text: 'A cluster is a master and some workers with the frameworks you choose (Hadoop, Spark, Jupyter, Kafka, …), ready in a few minutes.',
        actions: [h('a', { class: 'button button-primary', href: '#/create' }, icon('plus'), 'Create your first cluster')],
      }));
      return;
    }
    if (!table) {
      tbody = h('tbody');
      table = h('table', { class: 'table clusters-table', id: 'clusters-table' },
        h('caption', { class: 'visually-hidden', text: 'Clusters of the project' }),
        h('thead', {}, h('tr', {},
          ['Name', 'Status', 'Health', 'Age', 'Workers', 'Components', 'Web UIs'].map((t) => h('th', { scope: 'col', text: t })))),
        tbody);
      rows.clear();
      replace(content, h('div', { class: 'table-wrap' }, table));
    }
    const seen = new Set();
    let previous = null;
    for (const c of list) {
      seen.add(c.id);
      const key = JSON.stringify([c.name, c.state, c.progress, c.workers, c.desiredWorkers, c.components.map((x) => x.name), c.ui, c.stateReason,
        c.health ? [c.health.status, c.health.reasons] : null]);
      let entry = rows.get(c.id);
      if (!entry || entry.key !== key) {
        const row = clusterRow(c);
        if (entry) {
          const focusKey = entry.row.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
          entry.row.replaceWith(row);
          if (focusKey) row.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
        }
        entry = { row, key };
        rows.set(c.id, entry);
      }
      // Keep the order (newest first).
      const expectedPosition = previous ? previous.nextSibling : tbody.firstChild;
      if (expectedPosition !== entry.row) tbody.insertBefore(entry.row, expectedPosition);
      previous = entry.row;
    }
    for (const [id, entry] of rows) {
      if (!seen.has(id)) { entry.row.remove(); rows.delete(id); }
    }
    for (const el of content.querySelectorAll('time[data-age]')) el.textContent = age(el.dataset.age);
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (controller) controller.abort();
  };
}

function clusterRow(c) {
  const components = c.components.filter((x) => x.name !== 'base');
  const busy = isTransient(c.state) && c.state !== 'deleting';
  return h('tr', { dataset: { clusterId: c.id, state: c.state, name: c.name } },
    h('th', { scope: 'row', dataset: { label: 'Name' } },
      h('a', { href: `#/clusters/${encodeURIComponent(c.id)}`, class: 'cluster-name', dataset: { focusKey: `open-${c.id}` } }, c.name),
      h('span', { class: 'muted mono small cluster-id', text: c.id.slice(0, 8) })),
    h('td', { dataset: { label: 'Status' } },
      badge(c.state, c.progress),
      busy ? h('progress', { class: 'mini-progress', max: 100, value: c.progress, 'aria-label': `${c.name} progress` }, `${c.progress} %`) : null,
      c.state === 'failed' && c.stateReason ? h('p', { class: 'small bad-text', text: c.stateReason }) : null),
    h('td', { dataset: { label: 'Health' }, class: 'health-cell' },
      c.health ? healthBadge(c.health)
        : h('span', { class: 'muted', title: c.state === 'ready' ? 'Not checked yet' : 'Checked while the cluster is ready', text: '–' },
          h('span', { class: 'visually-hidden', text: c.state === 'ready' ? ' not checked yet' : ' checked while ready' }))),
    h('td', { dataset: { label: 'Age' } }, ageElement(c.createdAt)),
    h('td', { dataset: { label: 'Workers' }, class: 'num' },
      String(c.workers), c.desiredWorkers !== undefined && c.desiredWorkers !== null && c.desiredWorkers !== c.workers
        ? h('span', { class: 'muted', text: ` → ${c.desiredWorkers}` }) : null),
    h('td', { dataset: { label: 'Components' } },
      components.length
        ? h('ul', { class: 'chips' }, components.map((x) => h('li', { class: `chip chip-${tone(x.state)}`, title: `${x.name} ${x.version}: ${x.state}` }, x.name)))
        : h('span', { class: 'muted', text: 'base only' })),
    h('td', { dataset: { label: 'Web UIs' } }, uiLinks(c)));
}

/** The cluster's web UI links (public ones directly, internal ones marked as needing an SSH tunnel). */
export function uiLinks(c, { compact = true } = {}) {
  const links = (c.ui || []).filter((l) => l.url);
  if (!links.length) {
    return h('span', { class: 'muted small', text: c.ui && c.ui.length && c.state !== 'ready' ? 'when ready' : '–' });
  }
  return h('ul', { class: compact ? 'ui-links' : 'ui-links ui-links-wide' }, links.map((l) =>
    h('li', {},
      h('a', {
        href: l.url, target: '_blank', rel: 'noopener noreferrer', dataset: { focusKey: `ui-${c.id}-${l.component}-${l.port}` },
        title: l.isPublic ? `${l.name} (${l.component}) — opens in a new tab` : `${l.name} (${l.component}) is internal: open an SSH tunnel first (ssh -L ${l.port}:localhost:${l.port} …)`,
      }, icon(l.isPublic ? 'external' : 'lock'), l.name,
      h('span', { class: 'visually-hidden', text: l.isPublic ? ' (opens in a new tab)' : ' (internal, needs an SSH tunnel; opens in a new tab)' })),
      compact ? null : h('span', { class: 'muted small', text: ` ${l.component} · port ${l.port}${l.isPublic ? '' : ' · via SSH tunnel'}` }))));
}
