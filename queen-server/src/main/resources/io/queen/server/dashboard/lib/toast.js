import { h } from './dom.js';

/** A short message in the status region; errors stay until dismissed. */
export function toast(message, tone = 'ok') {
  const region = document.getElementById('toasts');
  const close = h('button', { type: 'button', class: 'icon', 'aria-label': 'Dismiss' }, '×');
  const el = h('div', { class: 'toast ' + tone, role: tone === 'error' ? 'alert' : null },
    h('span', null, message), close);
  close.addEventListener('click', () => el.remove());
  region.append(el);
  if (tone !== 'error') setTimeout(() => el.remove(), 5000);
  return el;
}
