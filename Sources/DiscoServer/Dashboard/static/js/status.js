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
