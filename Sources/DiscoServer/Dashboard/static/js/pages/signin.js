// #/signin — Keystone credentials (through POST /api/v1/tokens) or an existing token.
import { api, session, ApiError } from '../api.js';
import { h, icon, replace } from '../dom.js';

export function mount(ctx) {
  document.title = 'Sign in · DISCO';
  const controller = new AbortController();

  const status = h('p', { class: 'server-status', role: 'status' }, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ' Checking the server…');
  const alert = h('div', { class: 'form-alert', role: 'alert', hidden: true });
  const showAlert = (message, tone = 'bad') => {
    alert.hidden = !message;
    alert.className = `form-alert form-alert-${tone}`;
    replace(alert, message ? [icon(tone === 'info' ? 'check' : 'alert'), h('span', { text: message })] : []);
  };
  if (ctx.flash) showAlert(ctx.flash.message, ctx.flash.tone === 'info' ? 'info' : 'warn');

  // The two ways in, as a radio group.
  const modeCredentials = h('input', { type: 'radio', name: 'signin-mode', id: 'mode-credentials', value: 'credentials', checked: true });
  const modeToken = h('input', { type: 'radio', name: 'signin-mode', id: 'mode-token', value: 'token' });
  const modes = h('fieldset', { class: 'segmented' },
    h('legend', { class: 'visually-hidden', text: 'Sign in with' }),
    modeCredentials, h('label', { for: 'mode-credentials' }, 'Password'),
    modeToken, h('label', { for: 'mode-token' }, 'Token'));

  const username = h('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const project = h('input', { id: 'signin-project', name: 'project', autocomplete: 'off', placeholder: 'same as the user name', autocapitalize: 'none', spellcheck: 'false' });
  const domain = h('input', { id: 'signin-domain', name: 'domain', autocomplete: 'off', value: 'Default', autocapitalize: 'none', spellcheck: 'false' });
  const submitCredentials = h('button', { type: 'submit', class: 'button button-primary button-block', id: 'signin-submit' }, 'Sign in');
  const credentialsForm = h('form', { class: 'stack', id: 'signin-form', novalidate: true },
    field('signin-username', 'User name', username),
    field('signin-password', 'Password', password),
    h('div', { class: 'field-row' },
      field('signin-project', 'Project', project, 'Optional'),
      field('signin-domain', 'Domain', domain)),
    submitCredentials);

  const token = h('textarea', { id: 'signin-token', name: 'token', rows: 3, required: true, autocomplete: 'off', spellcheck: 'false', class: 'mono' });
  const submitToken = h('button', { type: 'submit', class: 'button button-primary button-block', id: 'signin-token-submit' }, 'Use this token');
  const tokenForm = h('form', { class: 'stack', id: 'signin-token-form', novalidate: true, hidden: true },
    field('signin-token', 'Keystone token', token, 'For example the output of disco-cli token or openstack token issue'),
    submitToken);

  const setMode = () => {
    const byToken = modeToken.checked;
    tokenForm.hidden = !byToken;
    credentialsForm.hidden = byToken;
  };
  modeCredentials.addEventListener('change', setMode);
  modeToken.addEventListener('change', setMode);

  const busy = (button, on, text) => {
    button.disabled = on;
    button.setAttribute('aria-busy', String(on));
    replace(button, on ? [h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), ` ${text}`] : text);
  };

  credentialsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    showAlert(null);
    for (const input of [username, password]) input.removeAttribute('aria-invalid');
    const missing = [username, password].filter((i) => !i.value.trim() && (i !== password || !i.value));
    if (missing.length) {
      for (const input of missing) input.setAttribute('aria-invalid', 'true');
      showAlert(`Enter your ${missing.map((i) => (i === username ? 'user name' : 'password')).join(' and ')}.`);
      missing[0].focus();
      return;
    }
    busy(submitCredentials, true, 'Signing in…');
    try {
      const issued = await api.signIn({
        username: username.value.trim(), password: password.value,
        project: project.value.trim() || username.value.trim(), domain: domain.value.trim() || 'Default',
      });
      password.value = '';
      session.set({ token: issued.token, expiresAt: issued.expiresAt, user: issued.user, project: issued.project, projectID: issued.projectID });
      ctx.signedIn();
    } catch (error) {
      busy(submitCredentials, false, 'Sign in');
      if (error instanceof ApiError && error.status === 401) {
        showAlert('The user name, password or project is wrong.');
        password.select();
        password.focus();
      } else {
        showAlert(error.message || String(error));
      }
    }
  });

  tokenForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    showAlert(null);
    const value = token.value.trim();
    if (!value) {
      token.setAttribute('aria-invalid', 'true');
      showAlert('Paste a token.');
      token.focus();
      return;
    }
    token.removeAttribute('aria-invalid');
    busy(submitToken, true, 'Checking…');
    session.set({ token: value, expiresAt: null, user: null, project: null });
    try {
      await api.clusters();
      ctx.signedIn();
    } catch (error) {
      session.clear();
      busy(submitToken, false, 'Use this token');
      showAlert(error instanceof ApiError && error.status === 401 ? 'This token is not valid or has expired.' : error.message);
      token.focus();
    }
  });

  replace(ctx.main, h('div', { class: 'signin' },
    h('section', { class: 'card signin-card', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title', text: 'Sign in to DISCO' }),
      h('p', { class: 'muted', text: 'Create and manage Hadoop, Spark, Jupyter and other clusters on your OpenStack project.' }),
      alert, modes, credentialsForm, tokenForm, status)));

  api.health(controller.signal).then((health) => {
    if (!health) {
      status.className = 'server-status server-status-bad';
      replace(status, icon('cloudOff'), ' The DISCO server cannot be reached.');
    } else {
      status.className = 'server-status server-status-ok';
      replace(status, h('span', { class: 'dot dot-ok', 'aria-hidden': 'true' }), ` Server online · cloud: ${health.cloud}`);
    }
  }).catch(() => {});

  if (!ctx.flash) username.focus();
  return () => controller.abort();
}

function field(id, labelText, control, hint) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id, text: labelText }),
    control,
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null);
}
