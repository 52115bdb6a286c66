// #/create — the new-cluster form: machines and networks from the cloud, components with their requirements,
// their settings, and the plan's resource totals (POST /api/v1/plan, debounced) before creating.
import { api, ApiError } from '../api.js';
import { debounce, h, icon, loading, memory, panel, replace, toast } from '../dom.js';

const TTL_CHOICES = [
  ['', 'Keep until I delete it'], ['14400', '4 hours'], ['28800', '8 hours'], ['86400', '1 day'],
  ['259200', '3 days'], ['604800', '1 week'],
];

export function mount(ctx) {
  document.title = 'New cluster · DISCO';
  const body = h('div', { id: 'create-body' }, loading('Loading images, flavors and components…'));
  replace(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {},
        h('a', { class: 'back-link', href: '#/clusters' }, icon('back'), 'Clusters'),
        h('h1', { text: 'New cluster' }),
        h('p', { class: 'muted page-subtitle', text: 'Choose the machines and the frameworks; the plan on the side shows what it will use.' }))),
    body);

  let disposed = false;
  const cleanups = [];
  (async () => {
    let data;
    try {
      const [components, images, flavors, networks, specSchema] = await Promise.all(
        [api.components(), api.images(), api.flavors(), api.networks(), api.specSchema()]);
      data = { components: components.components || [], images: images.images || [], flavors: flavors.flavors || [],
        networks: networks.networks || [], specSchema };
    } catch (error) {
      if (disposed || error.status === 401) return;
      replace(body, panel({
        tone: 'error', iconName: 'cloudOff',
        title: error.unreachable ? 'The DISCO server cannot be reached' : 'The cloud’s images and flavors could not be loaded',
        text: error.message,
        actions: [h('button', { type: 'button', class: 'button', onclick: () => ctx.navigate('#/create') }, icon('refresh'), 'Try again')],
      }));
      return;
    }
    if (disposed) return;
    cleanups.push(buildForm(ctx, body, data));
  })();
  return () => { disposed = true; cleanups.forEach((fn) => fn()); };
}

function buildForm(ctx, body, data) {
  // The server's rules, not a copy of them.
  const nameRule = data.specSchema.properties.name;
  const NAME_PATTERN = new RegExp(nameRule.pattern);
  const catalog = new Map(data.components.map((c) => [c.name, c]));
  const chosen = new Set();
  const touched = new Set();
  let serverProblems = [];
  let submitted = false;
  let planController = null;
  let planSequence = 0;
  let creating = false;

  // ---- Controls ------------------------------------------------------------------------------------------
  const name = h('input', { id: 'f-name', name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: nameRule.maxLength, autocapitalize: 'none' });
  const workers = h('input', { id: 'f-workers', name: 'workers', type: 'number', inputmode: 'numeric', min: 0, step: 1, value: '2', required: true });
  const ttl = h('select', { id: 'f-ttl', name: 'ttl' }, TTL_CHOICES.map(([v, t]) => h('option', { value: v }, t)));
  const tags = h('input', { id: 'f-tags', name: 'tags', autocomplete: 'off', placeholder: 'e.g. course-2024, team-a' });

  const imageOptions = () => data.images.map((i) => h('option', { value: i.name }, i.name + (i.status && i.status !== 'active' ? ` (${i.status})` : '')));
  const flavorOptions = () => data.flavors.slice().sort((a, b) => a.vcpus - b.vcpus || a.ramMB - b.ramMB)
    .map((f) => h('option', { value: f.name }, `${f.name} · ${f.vcpus} vCPU · ${memory(f.ramMB)} · ${f.diskGB} GB`));
  const pick = (list, preferred) => (list.find((x) => x.name === preferred) || list[0] || {}).name || '';
  const masterImage = h('select', { id: 'f-master-image', name: 'master.image', required: true }, imageOptions());
  const masterFlavor = h('select', { id: 'f-master-flavor', name: 'master.flavor', required: true }, flavorOptions());
  const workerImage = h('select', { id: 'f-worker-image', name: 'worker.image', required: true }, imageOptions());
  const workerFlavor = h('select', { id: 'f-worker-flavor', name: 'worker.flavor', required: true }, flavorOptions());
  masterImage.value = workerImage.value = pick(data.images, 'ubuntu-22.04');
  masterFlavor.value = workerFlavor.value = pick(data.flavors, 'm1.medium');
  let workerImageFollows = true;

  const externals = data.networks.filter((n) => n.isExternal);
  const internals = data.networks.filter((n) => !n.isExternal);
  const externalNetwork = h('select', { id: 'f-external-network', name: 'externalNetwork', required: true },
    externals.length ? externals.map((n) => h('option', { value: n.name }, n.name)) : h('option', { value: '' }, 'No external network found'));
  const network = h('select', { id: 'f-network', name: 'network' },
    h('option', { value: '' }, 'A new network for this cluster'),
    internals.map((n) => h('option', { value: n.name }, n.name)));

  // ---- Components ----------------------------------------------------------------------------------------
  const cards = new Map();
  const componentGrid = h('div', { class: 'component-grid', role: 'group', 'aria-labelledby': 'components-title' });
  for (const c of data.components) {
    const box = h('input', { type: 'checkbox', id: `c-${c.name}`, name: 'components', value: c.name, 'aria-describedby': `c-${c.name}-summary c-${c.name}-note` });
    const note = h('p', { class: 'component-note', id: `c-${c.name}-note` });
    const card = h('div', { class: 'component-card', id: `comp-${c.name}`, dataset: { component: c.name } },
      h('div', { class: 'component-head' },
        box,
        h('label', { for: `c-${c.name}`, class: 'component-label' },
          h('span', { class: 'component-name', text: c.name }),
          h('span', { class: 'component-version', text: c.version }))),
      h('p', { class: 'component-summary', id: `c-${c.name}-summary`, title: c.summary, text: c.summary }),
      note);
    if (c.implicit) { box.checked = true; box.disabled = true; }
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(c.name); else chosen.delete(c.name);
      touched.add(`components.${c.name}`);
      updateComponents();
      changed();
    });
    cards.set(c.name, { card, box, note, component: c });
    componentGrid.append(card);
  }
  const settings = h('div', { class: 'settings', id: 'component-settings' });
  const propertyInputs = new Map(); // "comp.prop" -> {input, confirm, definition}

  const submit = h('button', { type: 'submit', form: 'create-form', class: 'button button-primary button-block', id: 'create-submit' }, 'Create cluster');

  // ---- The plan ------------------------------------------------------------------------------------------
  const planStatus = h('p', { class: 'plan-status muted', id: 'plan-status' });
  const planBody = h('div', { class: 'plan-body', id: 'plan-body' });
  const planPanel = h('aside', { class: 'card plan', id: 'plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title', text: 'Plan' }),
    h('div', { 'aria-live': 'polite', 'aria-atomic': 'false' }, planStatus, planBody),
    h('div', { class: 'plan-actions' },
      submit,
      h('a', { class: 'button button-quiet button-block', href: '#/clusters' }, 'Cancel')));

  // ---- Layout --------------------------------------------------------------------------------------------
  const summary = h('div', { class: 'error-summary', id: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const form = h('form', { id: 'create-form', class: 'create-form', novalidate: true, 'aria-describedby': 'plan-status' },
    summary,
    h('section', { class: 'card form-section', 'aria-labelledby': 'basics-title' },
      h('h2', { id: 'basics-title', text: 'Cluster' }),
      h('div', { class: 'field-grid' },
        field('f-name', 'Name', name, 'Letters, digits and “-”, starting with a letter (up to 48).'),
        field('f-workers', 'Workers', workers, 'Worker machines besides the master; 0 runs everything on the master.'),
        field('f-ttl', 'Delete automatically', ttl),
        field('f-tags', 'Tags', tags, 'Optional, separated by commas.'))),
    h('section', { class: 'card form-section', 'aria-labelledby': 'machines-title' },
      h('h2', { id: 'machines-title', text: 'Machines and network' }),
      h('div', { class: 'field-grid' },
        field('f-master-image', 'Master image', masterImage),
        field('f-master-flavor', 'Master flavor', masterFlavor),
        field('f-worker-image', 'Worker image', workerImage),
        field('f-worker-flavor', 'Worker flavor', workerFlavor),
        field('f-external-network', 'External network', externalNetwork, 'Where the master’s public address comes from.'),
        field('f-network', 'Cluster network', network))),
    h('section', { class: 'card form-section', 'aria-labelledby': 'components-title' },
      h('h2', { id: 'components-title', text: 'Components' }),
      h('p', { class: 'muted section-intro', text: 'Tick what you need; what it requires is ticked for you.' }),
      componentGrid,
      settings));
  replace(body, h('div', { class: 'create-layout' }, form, planPanel));

  // ---- Behaviour -----------------------------------------------------------------------------------------
  /** The chosen components and what they need (the server's `needs`, as its planner resolves them). */
  function effective() {
    const result = new Set([...chosen]);
    for (const name of chosen) for (const need of catalog.get(name)?.needs || []) result.add(need);
    return result;
  }

  function updateComponents() {
    const on = effective();
    for (const [cname, { card, box, note, component }] of cards) {
      if (component.implicit) {
        note.textContent = 'Always installed';
        card.classList.add('is-on', 'is-locked');
        continue;
      }
      const requiredBy = [...on].filter((other) => (catalog.get(other)?.requires || []).includes(cname));
      const conflictsWith = [...on].filter((other) => other !== cname &&
        ((catalog.get(other)?.conflicts || []).includes(cname) || (component.conflicts || []).includes(other)));
      if (requiredBy.length) {
        box.checked = true;
        box.disabled = true;
        note.textContent = `Required by ${requiredBy.join(', ')}`;
      } else if (conflictsWith.length && !chosen.has(cname)) {
        box.checked = false;
        box.disabled = true;
        note.textContent = `Conflicts with ${conflictsWith.join(', ')}`;
      } else {
        box.disabled = false;
        box.checked = chosen.has(cname);
        note.textContent = '';
      }
      card.classList.toggle('is-on', box.checked);
      card.classList.toggle('is-locked', box.disabled);
      card.dataset.reason = requiredBy.length ? 'required' : (box.checked ? 'requested' : '');
    }
    renderSettings(on);
  }

  function renderSettings(on) {
    const keep = new Map(propertyInputs);
    propertyInputs.clear();
    const makeField = (cname, [pname, p]) => {
      const key = `${cname}.${pname}`;
      const previous = keep.get(key);
      const id = `p-${cname}-${pname}`;
      const input = previous ? previous.input : propertyControl(id, p);
      const entry = { input, confirm: null, definition: p, component: cname, name: pname };
      const parts = [field(id, humanize(pname), input, propertyHint(p), { required: p.required })];
      if (p.secret) {
        entry.confirm = previous && previous.confirm ? previous.confirm
          : h('input', { id: `${id}-confirm`, type: 'password', autocomplete: 'new-password' });
        parts.push(field(`${id}-confirm`, `Confirm ${humanize(pname).toLowerCase()}`, entry.confirm, null, { required: p.required }));
      }
      propertyInputs.set(key, entry);
      return parts;
    };
    // Required and secret settings up front, one group per component; the others behind one disclosure.
    const important = [];
    const optional = [];
    let optionalCount = 0;
    let optionalFilled = false;
    for (const [cname, component] of catalog) {
      if (!on.has(cname)) continue;
      const props = Object.entries(component.properties || {});
      const must = props.filter(([, p]) => p.required || p.secret);
      const may = props.filter(([, p]) => !(p.required || p.secret));
      if (must.length) {
        important.push(h('fieldset', { class: 'settings-group', id: `settings-${cname}` },
          h('legend', {}, `${capitalize(cname)} settings`),
          h('div', { class: 'field-grid' }, must.map((x) => makeField(cname, x)))));
      }
      if (may.length) {
        optionalCount += may.length;
        optionalFilled ||= may.some(([pn]) => keep.get(`${cname}.${pn}`)?.input.value);
        optional.push(h('fieldset', { class: 'settings-group', id: `advanced-${cname}` },
          h('legend', {}, capitalize(cname)),
          h('div', { class: 'field-grid' }, may.map((x) => makeField(cname, x)))));
      }
    }
    const wasOpen = settings.querySelector('details.advanced')?.open;
    // Keep focus if the user is typing in a settings field while the groups are rebuilt.
    const active = document.activeElement && settings.contains(document.activeElement) ? document.activeElement.id : null;
    replace(settings,
      important.length ? [h('h3', { class: 'settings-title', text: 'Settings' }), important] : null,
      optional.length ? h('details', { class: 'advanced', id: 'advanced-settings', open: wasOpen || optionalFilled || null },
        h('summary', {}, `Advanced settings (${optionalCount})`),
        h('p', { class: 'muted small', text: 'Leave a field empty to use its default.' }),
        optional) : null);
    if (active) document.getElementById(active)?.focus();
    showProblems();
  }

  function spec({ forPlan = false } = {}) {
    const on = effective();
    const components = {};
    for (const cname of on) {
      const component = catalog.get(cname);
      if (!component || component.implicit) continue;
      const props = {};
      for (const [key, entry] of propertyInputs) {
        if (entry.component !== cname) continue;
        const value = entry.input.value.trim ? (entry.definition.secret ? entry.input.value : entry.input.value.trim()) : entry.input.value;
        if (value !== '') props[key.slice(cname.length + 1)] = value;
      }
      // Send what the user chose (and anything with settings); the server resolves and explains the rest.
      if (chosen.has(cname) || Object.keys(props).length) components[cname] = props;
    }
    const value = {
      name: forPlan && !NAME_PATTERN.test(name.value.trim()) ? 'preview' : name.value.trim(),
      master: { image: masterImage.value, flavor: masterFlavor.value },
      worker: { image: workerImage.value, flavor: workerFlavor.value },
      workers: Number(workers.value),
      externalNetwork: externalNetwork.value,
      components,
    };
    if (network.value) value.network = network.value;
    if (ttl.value) value.ttlSeconds = Number(ttl.value);
    const tagList = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    if (tagList.length) value.tags = tagList;
    return value;
  }

  /** Problems found here, before asking the server: [{path, problem, accepted?, id?}]. */
  function clientProblems() {
    const problems = [];
    const n = name.value.trim();
    if (!n) problems.push({ path: 'name', problem: 'Enter a name for the cluster.' });
    else if (!NAME_PATTERN.test(n)) problems.push({ path: 'name', problem: `“${n}” is not a valid name.`, accepted: `letters, digits and “-”, starting with a letter, up to ${nameRule.maxLength} characters` });
    const w = workers.value.trim();
    if (w === '' || !/^\d+$/.test(w)) problems.push({ path: 'workers', problem: 'Enter a whole number of workers, 0 or more.' });
    for (const [path, select, what] of [['master.image', masterImage, 'an image'], ['master.flavor', masterFlavor, 'a flavor'],
      ['worker.image', workerImage, 'an image'], ['worker.flavor', workerFlavor, 'a flavor'], ['externalNetwork', externalNetwork, 'an external network']]) {
      if (!select.value) problems.push({ path, problem: `Choose ${what}.` });
    }
    for (const [key, entry] of propertyInputs) {
      const path = `components.${key}`;
      const value = entry.input.value;
      const p = entry.definition;
      if (!value.trim()) {
        if (p.required) problems.push({ path, problem: p.secret ? 'Enter a password.' : 'This setting is required.' });
        continue;
      }
      let pattern = null;
      try { pattern = p.pattern ? new RegExp(p.pattern, 'u') : null; } catch { pattern = null; }
      if (pattern && !pattern.test(entry.definition.secret ? value : value.trim())) {
        problems.push({ path, problem: patternMessage(p) });
      }
      if (entry.confirm && entry.confirm.value !== value) {
        problems.push({ path: `${path}#confirm`, problem: 'The two entries differ; type the same value twice.' });
      }
    }
    return problems;
  }

  function fieldIdFor(path) {
    const direct = {
      name: 'f-name', workers: 'f-workers', 'master.image': 'f-master-image', 'master.flavor': 'f-master-flavor',
      'worker.image': 'f-worker-image', 'worker.flavor': 'f-worker-flavor', externalNetwork: 'f-external-network',
      network: 'f-network', ttlSeconds: 'f-ttl', tags: 'f-tags',
    }[path];
    if (direct) return direct;
    if (/^tags(\[\d+\]|\.\d+)?$/.test(path)) return 'f-tags';
    if (path === 'master' || path === 'worker') return `f-${path}-image`;
    const confirm = /^components\.([^.]+)\.([^.#]+)#confirm$/.exec(path);
    if (confirm) return `p-${confirm[1]}-${confirm[2]}-confirm`;
    const prop = /^components\.([^.]+)\.([^.]+)$/.exec(path);
    if (prop) return `p-${prop[1]}-${prop[2]}`;
    const comp = /^components\.([^.]+)$/.exec(path);
    if (comp && cards.has(comp[1])) return `c-${comp[1]}`;
    return null;
  }

  function visibleProblems() {
    const client = clientProblems().filter((p) => submitted || touched.has(p.path) || touched.has(p.path.replace(/#confirm$/, '')));
    const clientPaths = new Set(client.map((p) => p.path));
    return [...client, ...serverProblems.filter((p) => !clientPaths.has(p.path))];
  }

  function showProblems() {
    for (const el of form.querySelectorAll('.field-error')) el.remove();
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
      el.removeAttribute('aria-invalid');
      el.setAttribute('aria-describedby', (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => !x.endsWith('-error')).join(' '));
    }
    for (const card of form.querySelectorAll('.component-card.has-error')) card.classList.remove('has-error');
    const general = [];
    const problems = visibleProblems();
    for (const problem of problems) {
      const id = fieldIdFor(problem.path);
      const control = id && document.getElementById(id);
      if (!control) { general.push(problem); continue; }
      const errorId = `${id}-error`;
      const text = problemText(problem);
      const existing = document.getElementById(errorId);
      if (existing) { existing.querySelector('.field-error-lines').append(h('span', { class: 'field-error-line', text })); continue; }
      const error = h('p', { class: 'field-error', id: errorId }, icon('alert'),
        h('span', { class: 'field-error-lines' }, h('span', { class: 'field-error-line', text })));
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') || ''} ${errorId}`.trim());
      if (control.type === 'checkbox') {
        const card = control.closest('.component-card');
        card.classList.add('has-error');
        card.append(error);
      } else {
        control.closest('.field').append(error);
      }
    }
    return { problems, general };
  }

  function renderSummary(problems, message) {
    if (!problems.length && !message) { summary.hidden = true; summary.replaceChildren(); return; }
    summary.hidden = false;
    replace(summary,
      h('h2', { class: 'error-summary-title' }, icon('alert'), message || (problems.length === 1 ? 'There is a problem' : `There are ${problems.length} problems`)),
      problems.length ? h('ul', {}, problems.map((p) => {
        const id = fieldIdFor(p.path);
        const text = `${labelFor(p.path)}: ${problemText(p)}`;
        return h('li', {}, id
          ? h('a', { href: '#/create', onclick: (event) => { event.preventDefault(); document.getElementById(id)?.focus(); } }, text)
          : text);
      })) : null);
  }

  const requestPlan = debounce(async () => {
    const problems = clientProblems().filter((p) => p.path !== 'name' && !p.path.endsWith('#confirm'));
    if (planController) planController.abort();
    const sequence = ++planSequence;
    if (problems.length) {
      const missingSecret = problems.find((p) => p.path.startsWith('components.'));
      planStatus.className = 'plan-status muted';
      planStatus.textContent = missingSecret
        ? 'Fill in the component settings to see the plan.'
        : 'Complete the highlighted fields to see the plan.';
      planBody.classList.add('is-stale');
      planPanel.dataset.state = 'incomplete';
      return;
    }
    planController = new AbortController();
    planStatus.className = 'plan-status muted';
    replace(planStatus, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Planning…');
    planPanel.dataset.state = 'loading';
    try {
      const result = await api.plan(spec({ forPlan: true }), planController.signal);
      if (sequence !== planSequence) return;
      serverProblems = [];
      renderPlan(result.plan);
      planStatus.textContent = '';
      planPanel.dataset.state = 'ready';
    } catch (error) {
      if (error.name === 'AbortError' || sequence !== planSequence || error.status === 401) return;
      planBody.classList.add('is-stale');
      planPanel.dataset.state = 'error';
      planStatus.className = 'plan-status bad-text';
      if (error instanceof ApiError && error.problems.length) {
        serverProblems = error.problems;
        planStatus.textContent = 'The server found problems; see the highlighted fields.';
      } else {
        planStatus.textContent = error.message;
      }
    }
    showProblems();
  }, 350);

  function renderPlan(plan) {
    const t = plan.totals || {};
    const reasonText = (c) => {
      if (c.reason === 'implicit') return 'always installed';
      if (c.reason === 'requiredBy') return `required by ${(c.requiredBy || []).join(', ')}`;
      return String(c.reason || '');
    };
    const publicPorts = (plan.ports || []).filter((p) => p.exposure === 'public');
    planBody.classList.remove('is-stale');
    replace(planBody,
      h('dl', { class: 'totals', id: 'plan-totals' },
        stat('Instances', t.instances, 'instances'),
        stat('vCPUs', t.vcpus, 'vcpus'),
        stat('RAM', t.ramMB !== undefined ? memory(t.ramMB) : '–', 'ram'),
        stat('Disk', t.diskGB !== undefined ? `${t.diskGB} GB` : '–', 'disk'),
        stat('Floating IPs', t.floatingIPs, 'floating-ips'),
        stat('Networks', t.networks, 'networks')),
      h('h3', { class: 'plan-subtitle', text: 'Will install' }),
      h('ul', { class: 'plan-components', id: 'plan-components' }, (plan.components || []).map((c) =>
        h('li', { dataset: { component: c.name } },
          h('span', { class: 'plan-component-name', text: `${c.name} ${c.version}` }),
          h('span', { class: 'muted small', text: reasonText(c) })))),
      publicPorts.length ? [
        h('h3', { class: 'plan-subtitle', text: 'Open to the internet' }),
        h('ul', { class: 'plan-ports' }, publicPorts.map((p) => h('li', {},
          h('span', { class: 'mono', text: `${p.port}/${p.protocol}` }), ' ', h('span', { class: 'muted small', text: p.description })))),
      ] : null);
  }

  function changed() {
    showProblems();
    if (submitted && !summary.hidden) renderSummary(visibleProblems());
    requestPlan();
  }

  for (const control of [name, workers, ttl, tags, masterImage, masterFlavor, workerImage, workerFlavor, externalNetwork, network]) {
    control.addEventListener('input', changed);
    control.addEventListener('change', changed);
  }
  masterImage.addEventListener('change', () => { if (workerImageFollows) workerImage.value = masterImage.value; changed(); });
  workerImage.addEventListener('change', () => { workerImageFollows = false; });
  // Errors for a field appear once it was left (or after a submit), not while typing the first letters.
  form.addEventListener('focusout', (event) => {
    const target = event.target;
    if (!target || !target.id) return;
    const path = pathForId(target.id);
    if (path && (target.value !== '' || target.required)) { touched.add(path); showProblems(); }
  });
  settings.addEventListener('input', (event) => {
    // A settings field: re-check after a pause and re-plan.
    const path = pathForId(event.target.id);
    if (path && touched.has(path)) showProblems();
    requestPlan();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (creating) return;
    submitted = true;
    serverProblems = [];
    const problems = clientProblems();
    if (problems.length) {
      showProblems();
      renderSummary(problems);
      focusFirst(problems);
      return;
    }
    creating = true;
    submit.disabled = true;
    replace(submit, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Creating…');
    try {
      const cluster = await api.create(spec());
      toast(`Creating ${cluster.name}…`, 'ok');
      ctx.navigate(`#/clusters/${encodeURIComponent(cluster.id)}`);
    } catch (error) {
      creating = false;
      submit.disabled = false;
      replace(submit, 'Create cluster');
      if (error.status === 401) return;
      serverProblems = error.problems || [];
      const { general } = showProblems();
      const message = serverProblems.length ? null : (error.unreachable ? error.message : `The cluster could not be created: ${error.message}`);
      renderSummary(serverProblems.length ? serverProblems : [], message || (general.length ? error.message : null));
      if (serverProblems.length) focusFirst(serverProblems); else summary.focus();
    }
  });

  function focusFirst(problems) {
    const first = problems.map((p) => fieldIdFor(p.path)).find((id) => id && document.getElementById(id));
    if (first) document.getElementById(first).focus(); else summary.focus();
  }

  function pathForId(id) {
    const map = {
      'f-name': 'name', 'f-workers': 'workers', 'f-master-image': 'master.image', 'f-master-flavor': 'master.flavor',
      'f-worker-image': 'worker.image', 'f-worker-flavor': 'worker.flavor', 'f-external-network': 'externalNetwork',
    };
    if (map[id]) return map[id];
    for (const [key, entry] of propertyInputs) {
      if (entry.input.id === id) return `components.${key}`;
      if (entry.confirm && entry.confirm.id === id) return `components.${key}#confirm`;
    }
    return null;
  }

  function labelFor(path) {
    const id = fieldIdFor(path);
    const label = id && document.querySelector(`label[for="${CSS.escape(id)}"]`);
    if (label) {
      if (label.querySelector('.component-name')) return label.querySelector('.component-name').textContent;
      const copy = label.cloneNode(true);
      copy.querySelectorAll('.required-mark, .visually-hidden').forEach((el) => el.remove());
      return copy.textContent.trim();
    }
    return path;
  }

  updateComponents();
  requestPlan();
  name.focus();
  return () => { requestPlan.cancel(); if (planController) planController.abort(); };
}

function field(id, labelText, control, hint, { required = false } = {}) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (required) control.setAttribute('aria-required', 'true');
  return h('div', { class: 'field' },
    h('label', { for: id }, labelText, required ? h('span', { class: 'required-mark', 'aria-hidden': 'true', text: ' *' }) : null,
      required ? h('span', { class: 'visually-hidden', text: ' (required)' }) : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null);
}

function propertyControl(id, p) {
  if (p.type === 'boolean') {
    return h('select', { id },
      h('option', { value: '' }, `Default (${p.default ?? 'unset'})`),
      h('option', { value: 'true' }, 'true'),
      h('option', { value: 'false' }, 'false'));
  }
  return h('input', {
    id, type: p.secret ? 'password' : 'text', autocomplete: p.secret ? 'new-password' : 'off', spellcheck: 'false',
    inputmode: p.type === 'integer' ? 'numeric' : null, placeholder: p.default !== undefined && p.default !== '' ? `default: ${p.default}` : null,
  });
}

function propertyHint(p) {
  return p.summary || null;
}

function patternMessage(p) {
  const length = /^\^\.\{(\d+),(\d+)\}\$$/.exec(p.pattern || '');
  if (length) return `Use ${length[1]} to ${length[2]} characters.`;
  if (p.type === 'integer') return 'Enter a whole number in the accepted range.';
  return `This value is not accepted (pattern ${p.pattern}).`;
}

function problemText(p) {
  let text = p.problem || 'is not accepted';
  // A value the user typed or picked (a flavor name, say) is quoted as is, never re-capitalised.
  if (p.found !== undefined && p.found !== null && p.found !== '' && !text.includes(p.found)) text = `${p.found} ${text}`;
  else text = capitalize(text);
  if (!/[.!?]$/.test(text)) text += '.';
  if (p.accepted && !/^see /.test(p.accepted)) text += ` Accepted: ${p.accepted}.`.replace(/\.\.$/, '.');
  return text;
}

function stat(labelText, value, key) {
  return h('div', { class: 'stat', dataset: { total: key } },
    h('dt', { text: labelText }),
    h('dd', { text: value === undefined || value === null ? '–' : String(value) }));
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function humanize(name) {
  const text = name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
