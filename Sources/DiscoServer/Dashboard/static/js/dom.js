// Small DOM helpers: elements are built with h(), never from HTML strings, so server data is always text.

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on<event>` (listeners), `dataset`, booleans
 * (true sets an empty attribute, false/null/undefined leaves it out), everything else as attributes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A decorative inline SVG icon from the sprite-less set below. */
export function icon(name, extraClass = '') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon ${extraClass}`.trim());
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

const ICONS = {
  plus: ['M12 5v14', 'M5 12h14'],
  key: ['M15 7a4 4 0 1 1-3.9 4.9L4 19v-3h3v-3h3l1.1-1.1A4 4 0 0 1 15 7z', 'M16 10h.01'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
  pause: ['M9 5v14', 'M15 5v14'],
  play: ['M7 4l13 8-13 8z'],
  scale: ['M4 12h16', 'M8 8l-4 4 4 4', 'M16 8l4 4-4 4'],
  external: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'],
  lock: ['M6 11h12v9H6z', 'M8 11V8a4 4 0 0 1 8 0v3'],
  back: ['M15 5l-7 7 7 7'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  cloudOff: ['M3 3l18 18', 'M8 8a5 5 0 0 0-1 9h10', 'M12 6a5 5 0 0 1 5 4h1a3.5 3.5 0 0 1 2 6.4'],
  server: ['M4 5h16v6H4z', 'M4 13h16v6H4z', 'M8 8h.01', 'M8 16h.01'],
  check: ['M5 12l5 5 9-10'],
  alert: ['M12 3l10 18H2z', 'M12 10v4', 'M12 17h.01'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
};

/** "just now", "5 min", "3 h", "2 d" since `date`. */
export function age(date, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** A readable local date and time. */
export function dateTime(date) {
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function time(date) {
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A <time> element showing the age, with the full date as tooltip. */
export function ageElement(date) {
  return h('time', { datetime: new Date(date).toISOString(), title: dateTime(date), dataset: { age: date } }, age(date));
}

/** Memory in MB as "4 GB" / "512 MB". */
export function memory(mb) {
  if (mb >= 1024) return `${+(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GB`;
  return `${mb} MB`;
}

/** Says `text` to screen readers through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers read repeated messages too.
  setTimeout(() => { region.textContent = text; }, 30);
}

/** A short message at the bottom of the screen (also announced). */
export function toast(text, tone = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: `toast toast-${tone}` }, text);
  region.append(item);
  while (region.children.length > 2) region.firstElementChild.remove();
  setTimeout(() => item.classList.add('toast-leaving'), 3500);
  setTimeout(() => item.remove(), 4000);
}

/** Removes every toast (e.g. when signing out). */
export function clearToasts() {
  document.getElementById('toasts')?.replaceChildren();
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** A centred empty/error/loading panel. */
export function panel({ tone = 'empty', iconName = 'server', title, text, actions = [] }) {
  return h('section', { class: `state-panel state-${tone}`, role: tone === 'error' ? 'alert' : null },
    h('div', { class: 'state-icon' }, icon(iconName)),
    h('h2', { class: 'state-title', text: title }),
    text ? h('p', { class: 'state-text', text }) : null,
    actions.length ? h('div', { class: 'state-actions' }, actions) : null);
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { text }));
}
