// #/clusters/<id> — one cluster: live progress per component, health per node, events, SSH key, scale, suspend/resume,
// delete.
import { api } from '../api.js';
import { age, dateTime, h, icon, loading, memory, panel, replace, time, toast } from '../dom.js';
import { renderHealth } from '../health.js';
import { badge, healthLabel, isTransient, label, tone } from '../status.js';
import { uiLinks } from './clusters.js';

const POLL_BUSY_MS = 2000;
const POLL_IDLE_MS = 5000;

export function mount(ctx) {
  const id = ctx.params[0];
  document.title = 'Cluster · DISCO';
  let stopped = false;
  let timer = null;
  let controller = null;
  let view = null; // built once the first answer arrives, then updated in place
  let cluster = null;

  const heading = h('h1', { class: 'cluster-title', id: 'cluster-title' }, h('span', { class: 'cluster-title-name', text: 'Cluster' }));
  const body = h('div', { id: 'cluster-body' }, loading('Loading the cluster…'));
  replace(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('a', { class: 'back-link', href: '#/clusters' }, icon('back'), 'Clusters'), heading)),
    body);

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, cluster && !isTransient(cluster.state) ? POLL_IDLE_MS : POLL_BUSY_MS);
  };

  async function refresh() {
    clearTimeout(timer);
    if (controller) controller.abort();
    controller = new AbortController();
    let next;
    let events;
    try {
      [next, events] = await Promise.all([api.cluster(id, controller.signal), api.events(id, controller.signal).catch((e) => {
        if (e.name === 'AbortError') throw e;
        return { events: null };
      })]);
    } catch (error) {
      if (stopped || error.name === 'AbortError' || error.status === 401) return;
      if (error.status === 404) {
        view = null;
        document.title = 'Cluster not found · DISCO';
        replace(heading, h('span', { class: 'cluster-title-name', text: cluster ? cluster.name : 'Cluster not found' }));
        replace(body, panel({
          tone: 'empty', iconName: 'server',
          title: cluster ? `${cluster.name} was deleted` : 'This cluster does not exist',
          text: cluster ? 'Its machines, network and key are gone.' : 'It may have been deleted, or it belongs to another project.',
          actions: [h('a', { class: 'button button-primary', href: '#/clusters' }, 'Back to the clusters')],
        }));
        return;
      }
      if (view) {
        view.connection.hidden = false;
        view.connection.textContent = error.unreachable ? 'Connection lost; retrying…' : `Could not refresh: ${error.message}`;
      } else {
        replace(body, panel({
          tone: 'error', iconName: 'cloudOff',
          title: error.unreachable ? 'The DISCO server cannot be reached' : 'The cluster could not be loaded',
          text: error.unreachable ? 'This page retries by itself every few seconds.' : error.message,
          actions: [h('button', { type: 'button', class: 'button', onclick: refresh }, icon('refresh'), 'Try again')],
        }));
      }
      timer = setTimeout(refresh, POLL_IDLE_MS);
      return;
    }
    if (stopped) return;
    const previous = cluster;
    cluster = next;
    if (!view) view = build(cluster);
    update(view, cluster, previous, events.events);
    schedule();
  }

  // ---- Building the page ---------------------------------------------------------------------------------
  function build(c) {
    document.title = `${c.name} · DISCO`;
    const v = {};
    v.badge = h('span', { class: 'cluster-badge' });
    replace(heading, h('span', { class: 'cluster-title-name', text: c.name }), v.badge);

    v.connection = h('p', { class: 'connection-warning', role: 'status', hidden: true });
    v.reason = h('p', { class: 'muted', id: 'cluster-reason' });
    v.progress = h('progress', { id: 'cluster-progress', max: 100, value: 0, 'aria-labelledby': 'progress-label' });
    v.progressText = h('p', { class: 'progress-text', id: 'progress-text', 'aria-live': 'polite', 'aria-atomic': 'true' });

    // Actions.
    v.download = h('a', { href: `/api/v1/clusters/${encodeURIComponent(c.id)}/ssh-key`, class: 'button', id: 'download-key', download: `${c.name}.id_ed25519` },
      icon('key'), 'Download SSH key');
    v.download.addEventListener('click', downloadKey);
    v.suspend = h('button', { type: 'button', class: 'button', id: 'suspend-resume' });
    v.suspend.addEventListener('click', suspendOrResume);
    v.remove = h('button', { type: 'button', class: 'button button-danger', id: 'delete-cluster' }, icon('trash'), 'Delete');
    v.remove.addEventListener('click', () => confirmDelete());

    // Scale.
    v.workersInput = h('input', { id: 'scale-workers', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: String(c.desiredWorkers ?? c.workers) });
    v.scaleButton = h('button', { type: 'submit', class: 'button', id: 'scale-submit' }, icon('scale'), 'Scale');
    v.scaleMessage = h('p', { class: 'hint', id: 'scale-hint', 'aria-live': 'polite' });
    v.workersInput.setAttribute('aria-describedby', 'scale-hint');
    v.workersInput.addEventListener('input', () => { v.scaleDirty = true; });
    v.scaleForm = h('form', { class: 'scale-form', id: 'scale-form', novalidate: true },
      h('div', { class: 'field' },
        h('label', { for: 'scale-workers', text: 'Workers' }),
        h('div', { class: 'inline-controls' }, v.workersInput, v.scaleButton),
        v.scaleMessage));
    v.scaleForm.addEventListener('submit', scale);

    // Health.
    v.healthCheck = h('button', { type: 'button', class: 'button', id: 'health-check' }, icon('refresh'), 'Check now');
    v.healthCheck.addEventListener('click', checkNow);
    v.healthBody = h('div', { class: 'health-body', id: 'health-body' });
    v.health = h('section', { class: 'card health-card', id: 'health-panel', 'aria-labelledby': 'health-label' },
      h('div', { class: 'progress-head' }, h('h2', { id: 'health-label', text: 'Health' }), v.healthCheck),
      v.healthBody);

    v.components = h('ul', { class: 'component-progress', id: 'component-progress' });
    v.events = h('ol', { class: 'events', id: 'events', reversed: true });
    v.eventsCount = -1;
    v.access = h('div', { id: 'cluster-access' });
    v.details = h('dl', { class: 'details', id: 'cluster-details' });
    v.totals = h('dl', { class: 'totals totals-compact', id: 'cluster-totals' });

    replace(body,
      v.connection,
      h('section', { class: 'card progress-card', 'aria-labelledby': 'progress-label' },
        h('div', { class: 'progress-head' },
          h('h2', { id: 'progress-label', text: 'Progress' }),
          h('div', { class: 'page-actions' }, v.download, v.suspend, v.remove)),
        v.reason, v.progress, v.progressText),
      h('div', { class: 'cluster-grid' },
        h('div', { class: 'cluster-main' },
          v.health,
          h('section', { class: 'card', 'aria-labelledby': 'components-label' },
            h('h2', { id: 'components-label', text: 'Components' }), v.components),
          h('section', { class: 'card', 'aria-labelledby': 'events-label' },
            h('h2', { id: 'events-label', text: 'Events' }), v.events)),
        h('div', { class: 'cluster-side' },
          h('section', { class: 'card', 'aria-labelledby': 'access-label' },
            h('h2', { id: 'access-label', text: 'Access' }), v.access),
          h('section', { class: 'card', 'aria-labelledby': 'scale-label' },
            h('h2', { id: 'scale-label', text: 'Size' }), v.scaleForm, v.totals),
          h('section', { class: 'card', 'aria-labelledby': 'details-label' },
            h('h2', { id: 'details-label', text: 'Details' }), v.details))));
    return v;
  }

  // ---- Updating it in place ------------------------------------------------------------------------------
  function update(v, c, previous, events) {
    v.connection.hidden = true;
    replace(v.badge, badge(c.state, c.progress));
    ctx.main.dataset.clusterState = c.state;
    v.reason.textContent = c.stateReason || '';
    v.progress.value = c.progress;
    v.progress.dataset.state = c.state;
    v.progress.className = `progress progress-${tone(c.state)}`;
    const readyCount = c.components.filter((x) => x.state === 'ready').length;
    v.progressText.textContent = `${label(c.state)} · ${c.progress} % · ${readyCount} of ${c.components.length} components ready`;

    if (previous && previous.state !== c.state && ['ready', 'failed', 'suspended'].includes(c.state)) {
      toast(`${c.name} is ${label(c.state).toLowerCase()}`, tone(c.state) === 'bad' ? 'bad' : (tone(c.state) === 'ok' ? 'ok' : 'info'));
    }

    // Actions.
    const gone = c.state === 'deleting' || c.state === 'deleted';
    v.download.classList.toggle('is-disabled', gone);
    if (gone) v.download.setAttribute('aria-disabled', 'true'); else v.download.removeAttribute('aria-disabled');
    const suspended = c.state === 'suspended';
    replace(v.suspend, icon(suspended ? 'play' : 'pause'), suspended ? 'Resume' : 'Suspend');
    v.suspend.disabled = !(c.state === 'ready' || suspended) || v.busy;
    v.suspend.title = v.suspend.disabled ? 'Only a ready cluster can be suspended and only a suspended one resumed' : '';
    v.remove.disabled = gone || v.busy;
    v.scaleButton.disabled = c.state !== 'ready' || v.busy;
    v.workersInput.disabled = c.state !== 'ready';
    if (document.activeElement !== v.workersInput && !v.scaleDirty) v.workersInput.value = String(c.desiredWorkers ?? c.workers);
    if (!v.scaleMessageSticky) {
      v.scaleMessage.textContent = c.state === 'scaling' ? `Scaling to ${c.desiredWorkers ?? '…'} workers…`
        : (c.state === 'ready' ? `Now ${c.workers} worker${c.workers === 1 ? '' : 's'} (${c.worker?.flavor || '–'}).` : 'Scaling needs a ready cluster.');
    }

    // Health: re-rendered only when it changes (a new check, another state).
    const healthKey = JSON.stringify([c.state, c.health]);
    if (v.healthKey !== healthKey) {
      v.healthKey = healthKey;
      v.health.dataset.health = c.health ? c.health.status : 'unchecked';
      renderHealth(v.healthBody, c);
    }
    v.healthCheck.disabled = c.state !== 'ready' || v.busy;
    v.healthCheck.title = c.state === 'ready' ? 'Read the health of every node now' : 'Only a ready cluster can be checked';

    // Components.
    const comps = c.components.map((x) => {
      const t = tone(x.state);
      return h('li', { class: `component-row component-${t}`, dataset: { component: x.name, state: x.state } },
        h('span', { class: `state-icon-small state-${t}`, 'aria-hidden': 'true' }, x.state === 'ready' ? icon('check') : (x.state === 'failed' ? icon('alert') : null)),
        h('div', { class: 'component-row-main' },
          h('p', { class: 'component-row-title' }, h('strong', { text: x.name }), h('span', { class: 'muted', text: ` ${x.version}` })),
          h('p', { class: 'muted small', text: [x.reason, x.detail && x.detail !== `${x.name} ready` ? x.detail : null].filter(Boolean).join(' · ') })),
        h('span', { class: `badge badge-${t} badge-small` }, h('span', { class: ['badge-dot', x.state === 'installing' && 'badge-dot-pulse'], 'aria-hidden': 'true' }), label(x.state)));
    });
    replace(v.components, comps);

    // Events, newest first; only re-rendered when there are new ones.
    if (Array.isArray(events) && events.length !== v.eventsCount) {
      v.eventsCount = events.length;
      replace(v.events, events.length ? events.slice().reverse().map((e) => h('li', { class: `event event-${tone(e.state)}` },
        h('time', { datetime: e.time, title: dateTime(e.time), class: 'event-time mono', text: time(e.time) }),
        h('span', { class: 'event-message', text: e.message }),
        h('span', { class: 'event-state muted small', text: e.state })))
        : h('li', { class: 'muted', text: 'No events yet.' }));
    }

    // Access.
    const user = c.loginUser || '<user>';
    const sshCommand = c.externalIP ? `ssh -i ${c.name}.id_ed25519 ${user}@${c.externalIP}` : null;
    const copy = sshCommand && navigator.clipboard ? h('button', {
      type: 'button', class: 'button button-quiet button-small', 'aria-label': 'Copy the SSH command',
      onclick: () => navigator.clipboard.writeText(sshCommand).then(() => toast('Copied the SSH command', 'ok'), () => toast('Could not copy', 'bad')),
    }, icon('copy'), 'Copy') : null;
    const accessKey = JSON.stringify([c.externalIP, c.state, c.ui, c.masterAddress]);
    if (v.accessKey !== accessKey) {
      v.accessKey = accessKey;
      const focusKey = v.access.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
      replace(v.access,
        h('dl', { class: 'details' },
          row('Public address', c.externalIP ? h('span', { class: 'mono', text: c.externalIP }) : h('span', { class: 'muted', text: 'not yet assigned' })),
          row('Master (internal)', c.masterAddress ? h('span', { class: 'mono', text: c.masterAddress }) : '–')),
        sshCommand ? h('div', { class: 'command' }, h('code', { text: sshCommand }), copy) : null,
        h('p', { class: 'hint', text: 'Save the key, then chmod 600 it. Internal UIs need a tunnel: ssh -L <port>:localhost:<port> …' }),
        h('h3', { class: 'plan-subtitle', text: 'Web UIs' }),
        uiLinks(c, { compact: false }));
      if (focusKey) v.access.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
    }

    // Totals and details.
    const t = c.totals || {};
    replace(v.totals,
      stat('Instances', t.instances), stat('vCPUs', t.vcpus), stat('RAM', t.ramMB !== undefined ? memory(t.ramMB) : '–'), stat('Disk', t.diskGB !== undefined ? `${t.diskGB} GB` : '–'));
    replace(v.details,
      row('Created', h('span', {}, dateTime(c.createdAt), h('span', { class: 'muted', text: ` (${age(c.createdAt)} ago)`.replace('(just now ago)', '(just now)') }))),
      c.expiresAt ? row('Deleted automatically', dateTime(c.expiresAt)) : null,
      row('Master', `${c.master?.flavor || '–'} · ${c.master?.image || '–'}`),
      row('Workers', `${c.workers} × ${c.worker?.flavor || '–'} · ${c.worker?.image || '–'}`),
      row('Network', `${c.network || '–'} → ${c.externalNetwork || '–'}`),
      row('Stack', h('span', {}, h('span', { class: 'mono small', text: c.stackName || '–' }), c.stackStatus ? h('span', { class: 'muted', text: ` · ${c.stackStatus}` }) : null)),
      c.tags && c.tags.length ? row('Tags', c.tags.join(', ')) : null,
      row('ID', h('span', { class: 'mono small', text: c.id })));
    for (const el of ctx.main.querySelectorAll('time[data-age]')) el.textContent = age(el.dataset.age);
  }

  // ---- Actions -------------------------------------------------------------------------------------------
  async function downloadKey(event) {
    event.preventDefault();
    if (!cluster || view.download.getAttribute('aria-disabled') === 'true') return;
    const filename = `${cluster.name}.id_ed25519`;
    try {
      const blob = await api.sshKey(cluster.id);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
      const a = h('a', { href: url, download: filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      toast(`Saved ${filename}`, 'ok');
    } catch (error) {
      if (error.status !== 401) toast(`The key could not be downloaded: ${error.message}`, 'bad');
    }
  }

  async function act(work, done) {
    view.busy = true;
    update(view, cluster, cluster, null);
    try {
      const next = await work();
      cluster = next;
      if (done) done(next);
    } catch (error) {
      if (error.status !== 401) throw error;
    } finally {
      view.busy = false;
      if (!stopped) refresh();
    }
  }

  async function checkNow() {
    try {
      await act(() => api.action(cluster.id, 'check'), (c) => toast(`${c.name}: health ${healthLabel(c.health?.status).toLowerCase()}`,
        c.health?.status === 'green' ? 'ok' : (c.health?.status === 'red' ? 'bad' : 'info')));
    } catch (error) {
      toast(`Could not check the health: ${error.message}`, 'bad');
    }
  }

  async function suspendOrResume() {
    const action = cluster.state === 'suspended' ? 'resume' : 'suspend';
    try {
      await act(() => api.action(cluster.id, action), (c) => toast(`${c.name}: ${action === 'resume' ? 'resuming' : 'suspending'}…`));
    } catch (error) {
      toast(`Could not ${action}: ${error.message}`, 'bad');
    }
  }

  async function scale(event) {
    event.preventDefault();
    const input = view.workersInput;
    const text = input.value.trim();
    const setError = (message) => {
      view.scaleMessageSticky = Boolean(message);
      view.scaleMessage.className = message ? 'hint bad-text' : 'hint';
      view.scaleMessage.textContent = message || '';
      if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    };
    if (!/^\d+$/.test(text)) { setError('Enter a whole number of workers, 0 or more.'); input.focus(); return; }
    const workers = Number(text);
    if (workers === cluster.workers) { setError(`The cluster already has ${workers} worker${workers === 1 ? '' : 's'}.`); return; }
    setError(null);
    try {
      await act(() => api.action(cluster.id, 'scale', workers), (c) => toast(`${c.name}: scaling to ${workers} workers…`));
      view.scaleDirty = false;
    } catch (error) {
      const problem = (error.problems || []).find((p) => p.path === 'workers');
      setError(problem ? `${problem.found ?? ''} ${problem.problem}${problem.accepted ? `; use ${problem.accepted}` : ''}`.trim() : error.message);
      input.focus();
    }
  }

  function confirmDelete() {
    const c = cluster;
    const input = h('input', { id: 'delete-confirm-name', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'delete-help' });
    const confirm = h('button', { type: 'submit', class: 'button button-danger', id: 'delete-confirm', disabled: true }, icon('trash'), 'Delete cluster');
    const cancel = h('button', { type: 'button', class: 'button', id: 'delete-cancel' }, 'Cancel');
    const error = h('p', { class: 'bad-text', role: 'alert', hidden: true });
    const form = h('form', { class: 'stack', method: 'dialog', novalidate: true },
      h('h2', { id: 'delete-title' }, `Delete ${c.name}?`),
      h('p', { id: 'delete-help' }, 'This deletes its machines, network and data; it cannot be undone. Type ',
        h('strong', { class: 'mono', text: c.name }), ' to confirm.'),
      h('div', { class: 'field' }, h('label', { for: 'delete-confirm-name', text: 'Cluster name' }), input),
      error,
      h('div', { class: 'dialog-actions' }, cancel, confirm));
    const dialog = h('dialog', { class: 'dialog', id: 'delete-dialog', 'aria-labelledby': 'delete-title' }, form);
    document.body.append(dialog);
    input.addEventListener('input', () => { confirm.disabled = input.value.trim() !== c.name; });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); view?.remove.focus(); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (input.value.trim() !== c.name) return;
      confirm.disabled = true;
      replace(confirm, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Deleting…');
      try {
        await api.remove(c.id);
        toast(`Deleting ${c.name}…`, 'info');
        dialog.close();
        ctx.navigate('#/clusters');
      } catch (err) {
        if (err.status === 401) { dialog.close(); return; }
        error.hidden = false;
        error.textContent = `The cluster could not be deleted: ${err.message}`;
        replace(confirm, icon('trash'), 'Delete cluster');
        confirm.disabled = false;
      }
    });
    dialog.showModal();
    input.focus();
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (controller) controller.abort();
    document.getElementById('delete-dialog')?.remove();
  };
}

function row(term, value) {
  return h('div', { class: 'details-row' }, h('dt', { text: term }), h('dd', {}, value));
}

function stat(labelText, value) {
  return h('div', { class: 'stat' }, h('dt', { text: labelText }), h('dd', { text: value === undefined || value === null ? '–' : String(value) }));
}

