// Cluster and component states: their tone (colour) and wording.
import { h } from './dom.js';

const TONES = {
  ready: 'ok',
  failed: 'bad',
  accepted: 'busy', provisioning: 'busy', installing: 'busy', scaling: 'busy', resuming: 'busy',
  suspending: 'warn', deleting: 'warn',
  suspended: 'idle', deleted: 'idle',
  // Components.
  pending: 'idle',
};

const LABELS = {
  accepted: 'Accepted', provisioning: 'Provisioning', installing: 'Installing', ready: 'Ready', scaling: 'Scaling',
  suspending: 'Suspending', suspended: 'Suspended', resuming: 'Resuming', deleting: 'Deleting', deleted: 'Deleted',
  failed: 'Failed', pending: 'Pending',
};

export function tone(state) { return TONES[state] || 'idle'; }
export function label(state) { return LABELS[state] || (state ? state[0].toUpperCase() + state.slice(1) : 'Unknown'); }

/** True while the cluster is changing (worth polling quickly). */
export function isTransient(state) { return tone(state) === 'busy' || tone(state) === 'warn'; }

/** A coloured status pill; `progress` (0–100) is shown for states in progress. */
export function badge(state, progress) {
  const t = tone(state);
  const text = label(state) + ((t === 'busy' && Number.isFinite(progress) && state !== 'accepted') ? ` · ${progress} %` : '');
  return h('span', { class: `badge badge-${t}`, dataset: { state } },
    h('span', { class: ['badge-dot', (t === 'busy' || t === 'warn') && 'badge-dot-pulse'], 'aria-hidden': 'true' }),
    h('span', { class: 'badge-text', text }));
}

// A ready cluster's health (green, yellow, red): tone and wording; text always says it, colour only repeats it.
const HEALTH_TONES = { green: 'ok', yellow: 'warn', red: 'bad' };
const HEALTH_LABELS = { green: 'Green', yellow: 'Yellow', red: 'Red' };
const HEALTH_MEANINGS = {
  green: 'every daemon running, room on every disk',
  yellow: 'degraded but usable',
  red: 'not usable as it is',
};

export function healthTone(status) { return HEALTH_TONES[status] || 'idle'; }
export function healthLabel(status) { return HEALTH_LABELS[status] || 'Not checked'; }

/** What a health says in a sentence: its status, its meaning, and every reason. */
export function healthSummary(health) {
  if (!health) return 'Health not checked yet';
  const reasons = (health.reasons || []).map((r) => r.message);
  return `Health ${health.status}: ${HEALTH_MEANINGS[health.status] || ''}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`;
}

/** A health pill ("Yellow"), the reasons as its tooltip and, for screen readers, in its text. */
export function healthBadge(health, { small = false } = {}) {
  const status = health ? health.status : 'unchecked';
  return h('span', {
    class: ['badge', `badge-${healthTone(status)}`, 'health-badge', small && 'badge-small'],
    dataset: { health: status }, title: healthSummary(health),
  },
  h('span', { class: 'badge-dot', 'aria-hidden': 'true' }),
  h('span', { class: 'badge-text', text: healthLabel(status) }),
  health && health.reasons && health.reasons.length
    ? h('span', { class: 'visually-hidden', text: `: ${health.reasons.map((r) => r.message).join('; ')}` }) : null);
}
