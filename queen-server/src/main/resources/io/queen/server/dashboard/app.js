// The dashboard's shell: who is signed in, the theme, the router and each page's refresh timers.
import { api, ApiError, onUnauthorized, setToken, token } from './lib/api.js';
import { h, replace } from './lib/dom.js';
import { toast } from './lib/toast.js';
import * as overview from './pages/overview.js';
import * as queues from './pages/queues.js';
import * as queue from './pages/queue.js';
import * as groups from './pages/groups.js';
import * as group from './pages/group.js';
import * as messages from './pages/messages.js';
import * as message from './pages/message.js';
import * as dlq from './pages/dlq.js';
import * as traces from './pages/traces.js';
import * as system from './pages/system.js';

const ROUTES = [
  [/^\/$/, overview, 'overview'],
  [/^\/queues$/, queues, 'queues'],
  [/^\/queues\/([^/]+)$/, queue, 'queues'],
  [/^\/groups$/, groups, 'groups'],
  [/^\/groups\/([^/]+)$/, group, 'groups'],
  [/^\/messages$/, messages, 'messages'],
  [/^\/messages\/([^/]+)\/([^/]+)$/, message, 'messages'],
  [/^\/dlq$/, dlq, 'dlq'],
  [/^\/traces$/, traces, 'traces'],
  [/^\/system$/, system, 'system'],
];

const LEVELS = ['read-only', 'read-write', 'admin'];
const REFRESH_MS = 5000;
const view = document.getElementById('view');
let session = null;
let current = null; // {timers, cleanups, controller}

function can(level) {
  return session && LEVELS.indexOf(session.access) >= LEVELS.indexOf(level);
}

function leavePage() {
  if (!current) return;
  current.timers.forEach(clearInterval);
  current.cleanups.forEach((fn) => { try { fn(); } catch (e) { console.warn(e); } });
  current.controller.abort();
  current = null;
}

/** Runs `fn` every `ms` while the page is shown and the tab visible; errors become a banner. */
function every(page, fn, ms = REFRESH_MS) {
  let running = false;
  const tick = async () => {
    if (document.hidden || running || current !== page) return;
    running = true;
    try {
      await fn();
      page.banner.hidden = true;
    } catch (e) {
      if (e.name !== 'AbortError' && current === page) {
        page.banner.hidden = false;
        page.banner.textContent = 'Refresh failed: ' + e.message;
      }
    } finally {
      running = false;
    }
  };
  page.timers.push(setInterval(tick, ms));
}

async function render() {
  leavePage();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const found = ROUTES.map(([re, module, sectionName]) => [path.match(re), module, sectionName]).find(([m]) => m);
  document.querySelectorAll('#nav a').forEach((a) => {
    if (found && a.dataset.section === found[2]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const page = { timers: [], cleanups: [], controller: new AbortController(), banner: h('p', { class: 'banner error', role: 'alert', hidden: true }) };
  current = page;
  view.setAttribute('aria-busy', 'true');
  if (!found) {
    replace(view, h('h1', null, 'Not found'), h('p', null, 'No dashboard page lives at ', h('code', null, path), '.'));
    view.setAttribute('aria-busy', 'false');
    return;
  }
  const [match, module] = found;
  const params = match.slice(1);
  const content = h('div', { class: 'page' });
  replace(view, page.banner, content);
  const ctx = {
    params,
    query: new URLSearchParams(location.search),
    el: content,
    session,
    can,
    signal: page.controller.signal,
    every: (fn, ms) => every(page, fn, ms),
    onLeave: (fn) => page.cleanups.push(fn),
    navigate,
    /** Replaces the query string without a new history entry (filters, sort, range). */
    setQuery(values) {
      const q = new URLSearchParams(location.search);
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined || v === null || v === '') q.delete(k); else q.set(k, v);
      }
      const s = q.toString();
      history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
    },
  };
  try {
    await module.render(ctx);
    document.title = (content.querySelector('h1')?.textContent || 'Dashboard') + ' · Queen';
  } catch (e) {
    if (e.name === 'AbortError' || current !== page) return;
    if (e instanceof ApiError && e.status === 401) return; // the sign-in form took over
    replace(content, h('h1', null, 'Something went wrong'),
      h('p', { class: 'banner error', role: 'alert' }, e.message),
      e instanceof ApiError && e.status === 404 ? h('p', null, h('a', { href: '/', 'data-nav': true }, 'Back to the overview')) : null);
  } finally {
    if (current === page) {
      view.setAttribute('aria-busy', 'false');
      // how long the page took to show its data, for the scale check (docs/benchmarks.md)
      performance.mark('queen:ready', { detail: location.pathname });
    }
  }
}

export function navigate(href, { replace: replaceEntry = false } = {}) {
  if (replaceEntry) history.replaceState(null, '', href); else history.pushState(null, '', href);
  render().then(() => view.focus({ preventScroll: true }));
  window.scrollTo(0, 0);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => render());

// --- theme: the system's unless chosen here ---
const THEME_KEY = 'queen.dashboard.theme';
const themeButton = document.getElementById('theme');
function applyTheme(theme) {
  const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  themeButton.setAttribute('aria-label', dark ? 'Switch to light theme' : 'Switch to dark theme');
  document.dispatchEvent(new CustomEvent('queen:theme'));
}
themeButton.addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  localStorage.setItem(THEME_KEY, next);
  applyTheme(next);
});
applyTheme(localStorage.getItem(THEME_KEY));

// --- session: with JWT on, a token from the operator, kept in this tab's session storage ---
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
signOut.addEventListener('click', () => { setToken(null); session = null; signIn('Signed out.'); });

function showWho() {
  who.hidden = !session.authEnabled;
  signOut.hidden = !session.authEnabled;
  who.textContent = session.authEnabled ? (session.subject || 'token') + ' · ' + session.access : '';
}

function signIn(reason) {
  leavePage();
  const input = h('textarea', { id: 'token', rows: 4, required: true, spellcheck: 'false', autocomplete: 'off' });
  const error = h('p', { class: 'banner error', role: 'alert', hidden: !reason || reason === 'Signed out.' }, reason || '');
  const form = h('form', { class: 'panel signin' },
    h('h1', null, 'Sign in'),
    h('p', null, 'This server checks a JWT on every API call. Paste a token; it stays in this tab only (session storage).'),
    error,
    h('label', { for: 'token' }, 'Bearer token'), input,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    try {
      session = await api('/api/v1/session');
      showWho();
      render();
    } catch (err) {
      setToken(null);
      error.hidden = false;
      error.textContent = err.message;
    }
  });
  who.hidden = true;
  signOut.hidden = true;
  replace(view, form);
  view.setAttribute('aria-busy', 'false');
  input.focus();
}

onUnauthorized((e) => {
  if (session || token()) {
    setToken(null);
    session = null;
    signIn('Your token was refused: ' + e.message);
  }
});

async function start() {
  try {
    session = await api('/api/v1/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signIn(token() ? e.message : null);
      return;
    }
    replace(view, h('h1', null, 'The server is not answering'), h('p', { class: 'banner error', role: 'alert' }, e.message));
    view.setAttribute('aria-busy', 'false');
    return;
  }
  showWho();
  render();
}

window.addEventListener('unhandledrejection', (e) => {
  if (e.reason?.name === 'AbortError') { e.preventDefault(); return; }
  if (e.reason instanceof ApiError) { e.preventDefault(); toast(e.reason.message, 'error'); }
});

start();
