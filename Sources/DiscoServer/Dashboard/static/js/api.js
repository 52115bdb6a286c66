// The DISCO REST API (/api/v1) and the signed-in session (kept in sessionStorage: gone when the tab closes).

const BASE = '/api/v1';
const SESSION_KEY = 'disco.session';

/** An API failure: `status` 0 when the server could not be reached; `problems` as [{path, found, problem, accepted}]. */
export class ApiError extends Error {
  constructor(status, message, problems = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problems = problems;
  }

  get unreachable() { return this.status === 0; }
}

export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      return value && typeof value.token === 'string' && value.token ? value : null;
    } catch {
      return null;
    }
  },
  set(value) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
  /** True when the session's token is past its expiry time. */
  expired(value = session.get()) {
    if (!value || !value.expiresAt) return false;
    const at = Date.parse(value.expiresAt);
    return Number.isFinite(at) && at <= Date.now();
  },
};

/** Splits a text/plain error ("message:\npath: problem\n…") into a message and field problems. */
export function parseTextError(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const problems = [];
  const rest = [];
  for (const line of lines.slice(1)) {
    const match = /^([A-Za-z][\w.\-[\]]*): (.+)$/.exec(line);
    if (match) {
      const [problem, accepted] = match[2].split(/; use (.+)$/);
      problems.push({ path: match[1], found: null, problem, accepted: accepted || null });
    } else {
      rest.push(line);
    }
  }
  const message = [lines[0] || 'the request failed', ...rest].join(' ').replace(/:$/, '');
  return { message, problems };
}

async function errorFrom(response) {
  const type = response.headers.get('Content-Type') || '';
  let message = `${response.status} ${response.statusText}`.trim();
  let problems = [];
  try {
    if (type.includes('json')) {
      const body = await response.json();
      if (body && body.error) {
        message = String(body.error.message || message).split('\n')[0].replace(/:$/, '');
        problems = Array.isArray(body.error.problems) ? body.error.problems : [];
      }
    } else {
      const parsed = parseTextError(await response.text());
      message = parsed.message || message;
      problems = parsed.problems;
    }
  } catch {
    // Keep the status line.
  }
  return new ApiError(response.status, message, problems);
}

/** Called when the server answers 401 to a signed-in request (set by the app). */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

/**
 * Sends a request. Options: `body` (JSON), `auth` (default true: sends X-Auth-Token), `signal`, `as`
 * ('json' default, 'blob', 'text'). Throws ApiError.
 */
export async function request(method, path, { body, auth = true, signal, as = 'json' } = {}) {
  const headers = { Accept: as === 'json' ? 'application/json' : '*/*' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const current = session.get();
  if (auth) {
    if (!current || session.expired(current)) {
      onUnauthorized('Your session has expired. Please sign in again.');
      throw new ApiError(401, 'not signed in');
    }
    headers['X-Auth-Token'] = current.token;
  }
  let response;
  try {
    response = await fetch(BASE + path, {
      method, headers, signal, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The DISCO server cannot be reached. Check that it is running, then try again.');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && auth) onUnauthorized('Your session has expired or the token is no longer valid. Please sign in again.');
    throw error;
  }
  if (as === 'blob') return response.blob();
  if (as === 'text') return response.text();
  if (response.status === 204) return null;
  return response.json();
}

export const api = {
  signIn: (credentials) => request('POST', '/tokens', { body: credentials, auth: false }),
  components: () => request('GET', '/components', { auth: false }),
  /** The server's rules for a cluster spec (name pattern, limits): the OpenAPI document's ClusterSpec schema. */
  async specSchema() {
    const document = await request('GET', '/openapi.json', { auth: false });
    return document.components.schemas.ClusterSpec;
  },
  images: () => request('GET', '/images'),
  flavors: () => request('GET', '/flavors'),
  networks: () => request('GET', '/networks'),
  /** Every cluster of the project, following the listing's pages (at most 1,000 clusters each). */
  async clusters(signal) {
    const clusters = [];
    let marker = null;
    for (let pages = 0; pages < 10000; pages += 1) {
      const query = marker === null ? '' : `?marker=${encodeURIComponent(marker)}`;
      const page = await request('GET', `/clusters${query}`, { signal });
      clusters.push(...page.clusters);
      const last = page.clusters.length ? page.clusters[page.clusters.length - 1].id : null;
      if (!page.next || last === null || last === marker) break;
      marker = last;
    }
    return { clusters };
  },
  cluster: (id, signal) => request('GET', `/clusters/${encodeURIComponent(id)}`, { signal }),
  events: (id, signal) => request('GET', `/clusters/${encodeURIComponent(id)}/events`, { signal }),
  plan: (spec, signal) => request('POST', '/plan', { body: spec, signal }),
  create: (spec) => request('POST', '/clusters', { body: spec }),
  remove: (id) => request('DELETE', `/clusters/${encodeURIComponent(id)}`),
  action: (id, action, workers) => request('POST', `/clusters/${encodeURIComponent(id)}/actions`,
    { body: workers === undefined ? { action } : { action, workers } }),
  sshKey: (id) => request('GET', `/clusters/${encodeURIComponent(id)}/ssh-key`, { as: 'blob' }),
  /** The server's health (not under /api): without a token {status, version, clusters, startupCheck}. */
  async health(signal) {
    try {
      const response = await fetch('/healthz', { signal, cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) return null;
      return await response.json();
    } catch (error) {
      if (error && error.name === 'AbortError') throw error;
      return null;
    }
  },
};
