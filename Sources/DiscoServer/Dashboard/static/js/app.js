// The dashboard's shell: hash routing (#/signin, #/clusters, #/clusters/<id>, #/create), the header, the session.
import { session, setUnauthorizedHandler } from './api.js';
import { clearToasts, h, panel, replace } from './dom.js';
import * as signin from './pages/signin.js';
import * as clusters from './pages/clusters.js';
import * as cluster from './pages/cluster.js';
import * as create from './pages/create.js';

const routes = [
  { pattern: /^#\/signin$/, page: signin, public: true, nav: null },
  { pattern: /^#\/clusters\/?$/, page: clusters, nav: 'clusters' },
  { pattern: /^#\/clusters\/([^/]+)$/, page: cluster, nav: 'clusters' },
  { pattern: /^#\/create$/, page: create, nav: 'create' },
];

const main = document.getElementById('main');
let cleanup = null;
let flash = null;
let returnTo = null;
let firstRender = true;

function navigate(hash, { replace: replaceEntry = false } = {}) {
  if (location.hash === hash) { render(); return; }
  if (replaceEntry) { history.replaceState(null, '', hash); render(); } else location.hash = hash;
}

function signOutTo(message, tone = 'info') {
  session.clear();
  clearToasts();
  flash = message ? { message, tone } : null;
  const hash = location.hash;
  if (hash && hash !== '#/signin' && !returnTo) returnTo = hash;
  navigate('#/signin', { replace: true });
}

setUnauthorizedHandler((message) => {
  if (location.hash === '#/signin') return;
  signOutTo(message, 'warn');
});

function updateHeader(route) {
  const current = session.get();
  const signedIn = Boolean(current) && !route.public;
  document.getElementById('mainnav').hidden = !signedIn;
  document.getElementById('session').hidden = !signedIn;
  if (current) {
    const who = current.user ? `${current.user} · ${current.project || 'project'}` : `token · ${current.project || 'project'}`;
    document.getElementById('session-who').textContent = who;
    document.getElementById('session-who').title = current.projectID ? `Project ID ${current.projectID}` : '';
  }
  for (const link of document.querySelectorAll('#mainnav a')) {
    if (link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function render() {
  const hash = location.hash || '#/clusters';
  let match = null;
  const route = routes.find((r) => (match = r.pattern.exec(hash)));
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  main.setAttribute('aria-busy', 'false');
  if (!route) {
    updateHeader({ public: !session.get(), nav: null });
    document.title = 'Not found · DISCO';
    replace(main, panel({ tone: 'empty', iconName: 'alert', title: 'This page does not exist',
      text: `Nothing is at ${hash}.`, actions: [h('a', { class: 'button button-primary', href: '#/clusters' }, 'Go to clusters')] }));
    return;
  }
  const current = session.get();
  if (!route.public && (!current || session.expired(current))) {
    if (current) flash = { message: 'Your session has expired. Please sign in again.', tone: 'warn' };
    session.clear();
    returnTo = hash;
    navigate('#/signin', { replace: true });
    return;
  }
  if (route.page === signin && current && !session.expired(current)) {
    navigate('#/clusters', { replace: true });
    return;
  }
  updateHeader(route);
  main.replaceChildren();
  const context = {
    main,
    params: match.slice(1).map(decodeURIComponent),
    navigate,
    flash: flash,
    signedIn(target) {
      const next = returnTo && returnTo !== '#/signin' ? returnTo : (target || '#/clusters');
      returnTo = null;
      navigate(next, { replace: true });
    },
  };
  flash = null;
  cleanup = route.page.mount(context) || null;
  if (!firstRender && !main.contains(document.activeElement)) {
    const heading = main.querySelector('h1');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }
  firstRender = false;
}

document.getElementById('signout').addEventListener('click', () => {
  returnTo = null;
  signOutTo('You are signed out.');
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const target = main.querySelector('h1') || main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
});

window.addEventListener('hashchange', render);
if (!location.hash) history.replaceState(null, '', '#/clusters');
render();
