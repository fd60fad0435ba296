import { api } from '../lib/api.js';
import { badge, field, h, link, replace, select } from '../lib/dom.js';
import { fromLocalInput, num, time, toLocalInput } from '../lib/format.js';

const PAGE = 50;
const STATUSES = [['', 'Any status'], ['pending', 'Pending'], ['processing', 'Processing'], ['completed', 'Completed'], ['dead_letter', 'Dead letter']];

export function statusBadge(status) {
  const tone = { completed: 'ok', processing: null, pending: null, dead_letter: 'bad' }[status];
  return badge(status.replace('_', ' '), tone);
}

export function messageHref(m) {
  return '/messages/' + encodeURIComponent(m.partitionId) + '/' + encodeURIComponent(m.transactionId);
}

export async function render(ctx) {
  const q = ctx.query;
  const queues = await api('/api/v1/resources/queues', { signal: ctx.signal });
  const queue = select('queue', [['', 'Every queue'], ...queues.queues.map((x) => [x.name, x.name])], q.get('queue'));
  const partition = h('input', { type: 'text', name: 'partition', value: q.get('partition') || '', placeholder: 'any' });
  const status = select('status', STATUSES, q.get('status'));
  const from = h('input', { type: 'datetime-local', name: 'from', value: toLocalInput(q.get('from')) });
  const to = h('input', { type: 'datetime-local', name: 'to', value: toLocalInput(q.get('to')) });
  let offset = Number(q.get('offset') || 0);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter messages' },
    field('Queue', queue), field('Partition', partition), field('Status', status),
    field('From', from), field('To', to),
    h('button', { type: 'submit', class: 'primary' }, 'Show'));
  const body = h('tbody');
  const info = h('span', { class: 'muted table-info', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary small' }, '‹ Newer');
  const next = h('button', { type: 'button', class: 'secondary small' }, 'Older ›');
  const table = h('table', { 'aria-label': 'Messages' },
    h('thead', null, h('tr', null, ['Pushed', 'Queue', 'Partition', 'Transaction id', 'Status', 'Trace'].map((t) => h('th', { scope: 'col' }, t)))),
    body);
  replace(ctx.el,
    h('div', { class: 'page-head' }, h('h1', null, 'Messages')),
    h('p', { class: 'muted' }, 'Newest first; without a time range, the hour before now.'),
    form,
    h('div', { class: 'table-wrap' }, h('div', { class: 'table-tools' }, info), h('div', { class: 'scroll' }, table), h('div', { class: 'pager' }, prev, next)));

  function filters() {
    return {
      queue: queue.value, partition: partition.value.trim(), status: status.value,
      from: fromLocalInput(from.value), to: fromLocalInput(to.value),
    };
  }

  async function load() {
    const f = filters();
    if (f.partition && !f.queue) {
      info.textContent = 'Choose a queue to filter by partition.';
      replace(body);
      return;
    }
    const page = await api('/api/v1/messages', { params: { ...f, limit: PAGE, offset }, signal: ctx.signal });
    const rows = page.messages;
    replace(body, rows.length ? rows.map((m) => h('tr', null,
      h('td', null, time(m.createdAt)),
      h('td', null, link('/queues/' + encodeURIComponent(m.queue), m.queue)),
      h('td', null, m.partition),
      h('td', null, link(messageHref(m), m.transactionId)),
      h('td', null, statusBadge(m.status)),
      h('td', null, m.traceId || '–'))) : h('tr', null, h('td', { colspan: 6, class: 'empty' }, 'No message matches.')));
    info.textContent = rows.length ? `${num(offset + 1)}–${num(offset + rows.length)}` : '';
    prev.disabled = offset === 0;
    next.disabled = rows.length < PAGE;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    offset = 0;
    const f = filters();
    ctx.setQuery({ ...f, offset: undefined });
    load();
  });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); ctx.setQuery({ offset: offset || undefined }); load(); });
  next.addEventListener('click', () => { offset += PAGE; ctx.setQuery({ offset }); load(); });
  await load();
}
