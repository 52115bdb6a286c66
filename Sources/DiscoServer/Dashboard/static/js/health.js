// A ready cluster's health on its page: the status with when it was checked, every reason, and a row per node with
// its daemons (each with its state), free disk, available memory and the time the node looked.
import { dateTime, h, icon, replace, time } from './dom.js';
import { healthBadge, healthTone } from './status.js';

/** Fills `body` with cluster `c`'s health. */
export function renderHealth(body, c) {
  const health = c.health;
  if (!health) {
    replace(body, h('p', { class: 'muted', id: 'health-status', text: c.state === 'ready'
      ? 'Not checked yet. DISCO reads a ready cluster\'s health by itself within a minute; Check now reads it at once.'
      : 'Health is watched while the cluster is ready.' }));
    return;
  }
  const reasons = health.reasons || [];
  replace(body,
    h('p', { class: 'health-status', id: 'health-status' },
      healthBadge(health),
      h('span', { class: 'muted small' }, ' checked ',
        h('time', { datetime: health.checkedAt, title: dateTime(health.checkedAt), text: time(health.checkedAt) }))),
    reasons.length
      ? h('ul', { class: 'health-reasons', id: 'health-reasons', 'aria-label': 'Why' }, reasons.map((r) =>
        h('li', { class: `health-reason health-reason-${healthTone(r.severity)}`,
          dataset: { severity: r.severity, node: r.node || '', component: r.component || '', daemon: r.daemon || '' } },
        r.message)))
      : h('p', { class: 'muted small', text: 'Every daemon is running and every node has room.' }),
    (health.nodes || []).length ? nodeTable(health.nodes) : null);
}

function nodeTable(nodes) {
  return h('div', { class: 'table-wrap health-table-wrap' },
    h('table', { class: 'table health-table', id: 'health-nodes' },
      h('caption', { class: 'visually-hidden', text: 'Health of each node' }),
      h('thead', {}, h('tr', {},
        ['Node', 'Health', 'Daemons', 'Disk free', 'Memory free', 'Checked'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, nodes.map(nodeRow))));
}

function nodeRow(n) {
  return h('tr', { dataset: { node: n.name, health: n.status } },
    h('th', { scope: 'row', dataset: { label: 'Node' } },
      h('span', { class: 'health-node-name', text: n.name }),
      n.address ? h('span', { class: 'muted mono small health-node-address', text: n.address }) : null),
    h('td', { dataset: { label: 'Health' } }, healthBadge({ status: n.status, reasons: [] }, { small: true })),
    h('td', { dataset: { label: 'Daemons' } }, n.reachable
      ? ((n.daemons || []).length
        ? h('ul', { class: 'daemons' }, n.daemons.map((d) => {
          const running = d.state === 'active';
          return h('li', { class: `daemon ${running ? 'daemon-ok' : 'daemon-bad'}`, dataset: { unit: d.unit, component: d.component, state: d.state } },
            icon(running ? 'check' : 'alert'),
            h('span', { class: 'daemon-unit', text: d.unit }),
            h('span', { class: running ? 'visually-hidden' : 'daemon-state', text: ` (${d.state})` }));
        }))
        : h('span', { class: 'muted', text: 'none' }))
      : h('span', { class: 'bad-text', text: 'unreachable from the master' })),
    h('td', { dataset: { label: 'Disk free' }, class: 'num' }, percent(n.diskFreePercent, n.diskFreeBytes)),
    h('td', { dataset: { label: 'Memory free' }, class: 'num' }, percent(n.memoryAvailablePercent)),
    h('td', { dataset: { label: 'Checked' } }, n.checkedAt
      ? h('time', { datetime: n.checkedAt, title: dateTime(n.checkedAt), text: time(n.checkedAt) }) : h('span', { class: 'muted', text: '–' })));
}

function percent(value, bytes) {
  if (value === undefined || value === null) return h('span', { class: 'muted', text: '–' });
  return h('span', { class: value < 10 ? 'bad-text' : null, text: `${value} %`,
    title: Number.isFinite(bytes) ? `${(bytes / 2 ** 30).toFixed(1)} GB free` : null });
}
