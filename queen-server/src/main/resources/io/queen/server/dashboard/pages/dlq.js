import { api } from '../lib/api.js';
import { cards, field, h, link, replace, section, select } from '../lib/dom.js';
import { fromLocalInput, num, pretty, time, toLocalInput } from '../lib/format.js';
import { confirmAction } from '../lib/dialog.js';
import { toast } from '../lib/toast.js';
import { groupLabel } from './groups.js';
import { messageHref } from './messages.js';

const PAGE = 100;
const entryKey = (e) => [e.queue, e.consumerGroup ?? '', e.id].join('\u0000');

export async function render(ctx) {
  const q = ctx.query;
  const queues = await api('/api/v1/resources/queues', { signal: ctx.signal });
  const queue = select('queue', [['', 'Every queue'], ...queues.queues.map((x) => [x.name, x.name])], q.get('queue'));
  const group = h('input', { type: 'text', name: 'consumerGroup', value: q.get('consumerGroup') || '', placeholder: 'any' });
  const from = h('input', { type: 'datetime-local', name: 'from', value: toLocalInput(q.get('from')) });
  const to = h('input', { type: 'datetime-local', name: 'to', value: toLocalInput(q.get('to')) });
  let offset = Number(q.get('offset') || 0);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter dead letters' },
    field('Queue', queue), field('Consumer group', group), field('Failed after', from), field('Failed before', to),
    h('button', { type: 'submit', class: 'primary' }, 'Show'));
  const summary = h('div');
  const list = h('div', { class: 'dlq-list' });
  const selected = new Map(); // entryKey → entry
  const canRequeue = ctx.can('read-write');
  const requeueSelected = h('button', { type: 'button', class: 'primary', disabled: true }, 'Requeue selected');
  const prev = h('button', { type: 'button', class: 'secondary small' }, '‹ Newer');
  const next = h('button', { type: 'button', class: 'secondary small' }, 'Older ›');
  const info = h('span', { class: 'muted', 'aria-live': 'polite' });
  replace(ctx.el,
    h('div', { class: 'page-head' }, h('h1', null, 'Dead letters'),
      canRequeue ? h('div', { class: 'actions' }, requeueSelected) : null),
    form, summary,
    section('Failed messages', h('p', { class: 'muted' }, 'Newest failure first, grouped by message: one message can fail in several consumer groups.'),
      info, list, h('div', { class: 'pager' }, prev, next)));

  function filters() {
    return { queue: queue.value, consumerGroup: group.value.trim() || undefined, from: fromLocalInput(from.value), to: fromLocalInput(to.value) };
  }

  function updateButton() {
    requeueSelected.disabled = selected.size === 0;
    requeueSelected.textContent = selected.size ? `Requeue ${selected.size} selected` : 'Requeue selected';
  }

  /** One request per queue and group: the API requeues ids of one queue (and group) at a time. */
  async function requeue(entries) {
    const batches = new Map();
    for (const e of entries) {
      const k = e.queue + '\u0000' + (e.consumerGroup ?? '');
      if (!batches.has(k)) batches.set(k, { queue: e.queue, consumerGroup: e.consumerGroup ?? '', messageIds: [] });
      batches.get(k).messageIds.push(e.id);
    }
    let count = 0;
    for (const body of batches.values()) {
      const r = await api('/api/v1/dlq/requeue', { method: 'POST', body });
      count += r.requeued;
    }
    toast(`Requeued ${num(count)} dead letter(s): their groups receive them on the next pop.`);
    selected.clear();
    updateButton();
    await load();
  }

  requeueSelected.addEventListener('click', async () => {
    const entries = [...selected.values()];
    if (!await confirmAction({ title: `Requeue ${entries.length} dead letter(s)?`, message: 'Each goes back to its consumer group, ahead of newer messages of its partition, with its failure count reset.', action: 'Requeue', danger: false })) return;
    await requeue(entries);
  });

  async function load() {
    const page = await api('/api/v1/dlq', { params: { ...filters(), limit: PAGE, offset }, signal: ctx.signal });
    const byMessage = new Map();
    for (const e of page.messages) {
      const k = e.partitionId + '\u0000' + e.transactionId;
      if (!byMessage.has(k)) byMessage.set(k, []);
      byMessage.get(k).push(e);
    }
    const errors = new Map();
    for (const e of page.messages) errors.set(e.errorMessage || '(no error message)', (errors.get(e.errorMessage || '(no error message)') || 0) + 1);
    replace(summary, cards([
      { label: 'Dead letters (this filter)', value: num(page.total), tone: page.total ? 'warn' : null },
      { label: 'Messages on this page', value: num(byMessage.size) },
      { label: 'Distinct errors on this page', value: num(errors.size) },
    ]));
    info.textContent = page.total ? `${num(offset + 1)}–${num(offset + page.messages.length)} of ${num(page.total)} entries` : '';
    prev.disabled = offset === 0;
    next.disabled = offset + page.messages.length >= page.total;
    if (!byMessage.size) {
      replace(list, h('p', { class: 'empty' }, 'No dead letter matches. 🎉'));
      return;
    }
    replace(list, [...byMessage.values()].map((entries) => {
      const first = entries[0];
      return h('article', { class: 'dlq-item' },
        h('header', null,
          h('h3', null, link(messageHref(first), first.transactionId)),
          h('span', { class: 'muted' }, ' ', link('/queues/' + encodeURIComponent(first.queue), first.queue), ' / ', first.partition)),
        h('table', { 'aria-label': 'Failures of ' + first.transactionId },
          h('thead', null, h('tr', null,
            canRequeue ? h('th', { class: 'check', scope: 'col' }, h('span', { class: 'sr-only' }, 'Select')) : null,
            ['Group', 'Error', 'Retries', 'Failed'].map((t) => h('th', { scope: 'col' }, t)),
            canRequeue ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Action')) : null)),
          h('tbody', null, entries.map((e) => {
            const k = entryKey(e);
            const box = h('input', { type: 'checkbox', checked: selected.has(k), 'aria-label': `Select ${first.transactionId} in ${groupLabel(e.consumerGroup || '__QUEUE_MODE__')}` });
            box.addEventListener('change', () => { if (box.checked) selected.set(k, e); else selected.delete(k); updateButton(); });
            return h('tr', null,
              canRequeue ? h('td', { class: 'check' }, box) : null,
              h('td', null, groupLabel(e.consumerGroup || '__QUEUE_MODE__')),
              h('td', { class: 'error-text' }, e.errorMessage || '–'),
              h('td', { class: 'num' }, num(e.retryCount)),
              h('td', null, time(e.failedAt)),
              canRequeue ? h('td', null, h('button', { type: 'button', class: 'secondary small', onclick: () => requeue([e]) }, 'Requeue')) : null);
          }))),
        h('details', null, h('summary', null, 'Payload'), h('pre', { class: 'payload' }, pretty(first.data))));
    }));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    offset = 0;
    ctx.setQuery({ ...filters(), offset: undefined });
    load();
  });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', () => { offset += PAGE; load(); });
  await load();
}
