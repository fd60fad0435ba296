// Every call the dashboard makes goes through here, to the same API and the same checks as any
// other client: the token (when JWT is on) rides in the Authorization header.

const TOKEN_KEY = 'queen.dashboard.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const listeners = new Set();

/** Called with the error whenever the server answers 401 (the token is missing or no longer valid). */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** The query string of `params`, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** The JSON answer of `method path`, or an ApiError carrying the server's message. */
export async function api(path, { method = 'GET', body, params, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path + query(params), { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server did not answer (' + e.message + ')');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const message = (data && (data.error || data.message)) || `${res.status} ${res.statusText}`;
    const error = new ApiError(res.status, message);
    if (res.status === 401) listeners.forEach((fn) => fn(error));
    throw error;
  }
  return data;
}

/** Path segment encoding for names that may hold '/', '?' or spaces. */
export function seg(s) {
  return encodeURIComponent(s);
}
