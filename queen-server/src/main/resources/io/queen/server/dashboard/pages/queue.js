import { api, seg } from '../lib/api.js';
import { cards, field, h, link, replace, section, select } from '../lib/dom.js';
import { RANGES, num, rangeOf, timeAgo } from '../lib/format.js';
import { lagChart, lineChart, seconds } from '../lib/chart.js';
import { confirmAction } from '../lib/dialog.js';
import { dataTable } from '../lib/table.js';
import { toast } from '../lib/toast.js';

const PAGE = 50;

export async function render(ctx) {
  const name = decodeURIComponent(ctx.params[0]);
  const base = '/api/v1/status/queues/' + seg(name);
  // the first answer also proves the queue exists (404 otherwise)
  const firstPage = { partitionLimit: PAGE, partitionOffset: 0, partitionSort: 'name', partitionOrder: 'asc' };
  let detail = await api(base, { params: firstPage, signal: ctx.signal });
  let prefetched = detail; // the table's first page: at 10,000 partitions each answer costs ~0.3 s
  const totals = h('div');
  const config = h('dl', { class: 'config' });
  const range = select('range', RANGES.map(([k, label]) => [k, label]), ctx.query.get('range') || '1h');
  const ops = lineChart({
    title: 'Messages per second',
    series: [{ label: 'Pushed' }, { label: 'Popped' }, { label: 'Acknowledged' }],
    data: [[], [], [], []],
  });
  const lag = lagChart('Lag, push to delivery');
  ctx.onLeave(() => { ops.destroy(); lag.destroy(); });

  const partitions = dataTable({
    label: 'Partitions of ' + name,
    searchLabel: 'Search partitions',
    key: (p) => p.id,
    pageSize: PAGE,
    sort: 'name',
    columns: [
      { key: 'name', label: 'Partition', render: (p) => link('/messages?queue=' + encodeURIComponent(name) + '&partition=' + encodeURIComponent(p.name), p.name) },
      { key: 'pending', label: 'Pending (lag)', numeric: true, value: (p) => p.messages.pending },
      { key: 'processing', label: 'In flight', numeric: true, value: (p) => p.messages.processing },
      { key: 'completed', label: 'Consumed', numeric: true, value: (p) => p.messages.completed },
      { key: 'failed', label: 'Retrying', numeric: true, value: (p) => p.messages.failed },
      { key: 'deadLetter', label: 'Dead letters', numeric: true, value: (p) => p.messages.deadLetter },
      { key: 'total', label: 'Stored', numeric: true, value: (p) => p.messages.total },
      { key: 'lastActivity', label: 'Last activity', render: (p) => timeAgo(h, p.lastActivity) },
    ],
    emptyText: 'This queue has no partition yet.',
    load: async ({ offset, limit, sort, order, search }) => {
      if (prefetched && offset === 0 && sort === 'name' && order === 'asc' && !search) {
        const d = prefetched;
        prefetched = null;
        return { rows: d.partitions, total: d.partitionsMatched };
      }
      const d = await api(base, {
        params: { partitionLimit: limit, partitionOffset: offset, partitionSort: sort, partitionOrder: order, partitionSearch: search },
        signal: ctx.signal,
      });
      detail = d;
      showTotals();
      return { rows: d.partitions, total: d.partitionsMatched };
    },
  });

  const actions = h('div', { class: 'actions' },
    link('/messages?queue=' + encodeURIComponent(name), 'Browse messages'),
    link('/dlq?queue=' + encodeURIComponent(name), 'Dead letters'),
    ctx.can('admin') ? button('Purge messages', 'warn', purge) : null,
    ctx.can('admin') ? button('Delete queue', 'danger', remove) : null);

  replace(ctx.el,
    h('div', { class: 'page-head' },
      h('div', null, h('p', { class: 'crumbs' }, link('/queues', 'Queues'), ' / '), h('h1', null, name)),
      actions),
    totals,
    h('div', { class: 'grid-2' },
      section('Configuration', config),
      section('Activity', field('Time range', range), ops.element, lag.element)),
    section('Partitions', partitions.element));

  function showTotals() {
    const t = detail.totals.messages;
    replace(totals, cards([
      { label: 'Partitions', value: num(detail.partitionCount) },
      { label: 'Pending', value: num(t.pending) },
      { label: 'In flight', value: num(t.processing) },
      { label: 'Consumed', value: num(t.completed) },
      { label: 'Retrying', value: num(t.failed) },
      { label: 'Dead letters', value: num(t.deadLetter), href: '/dlq?queue=' + encodeURIComponent(name), tone: t.deadLetter > 0 ? 'warn' : null },
      { label: 'Stored', value: num(t.total) },
    ]));
    const q = detail.queue;
    const c = q.config;
    replace(config, [
      ['Namespace', q.namespace || '–'], ['Task', q.task || '–'], ['Priority', q.priority],
      ['Lease time', c.leaseTime + ' s'], ['Retry limit', c.retryLimit], ['Retry delay', c.retryDelay + ' ms'],
      ['Time to live', c.ttl ? c.ttl + ' s' : 'none'], ['Max queue size', c.maxQueueSize || 'unbounded'],
      ['Dead-letter queue', c.deadLetterQueue ? 'on' : 'off'], ['Created', q.createdAt],
    ].flatMap(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]));
  }

  async function activity() {
    const { from, to } = rangeOf(range.value);
    const [series, lagRows] = await Promise.all([
      api('/api/v1/analytics/queue-ops', { params: { from, to, queue: name }, signal: ctx.signal }),
      api('/api/v1/analytics/queue-lag', { params: { from, to, queue: name }, signal: ctx.signal }),
    ]);
    const rows = series.series.filter((s) => s.queueName === name);
    ops.update([rows.map((s) => seconds(s.bucket)), rows.map((s) => s.pushPerSecond), rows.map((s) => s.popPerSecond), rows.map((s) => s.ackPerSecond)], { from, to });
    const lags = lagRows.filter((l) => l.queueName === name);
    lag.update([lags.map((l) => seconds(l.bucketTime)), lags.map((l) => l.avgLagMs), lags.map((l) => l.maxLagMs)], { from, to });
  }
  range.addEventListener('change', () => { ctx.setQuery({ range: range.value }); activity(); });

  async function purge() {
    if (!await confirmAction({ title: 'Purge ' + name + '?', message: 'Every message of this queue is deleted; its configuration, partitions and consumer groups stay. This cannot be undone.', action: 'Purge', typeToConfirm: name })) return;
    const r = await api('/api/v1/queues/' + seg(name) + '/clear', { method: 'DELETE' });
    toast(`Purged ${num(r.deleted)} message(s) from ${name}.`);
    await partitions.reload();
  }

  async function remove() {
    if (!await confirmAction({ title: 'Delete ' + name + '?', message: 'The queue, its partitions, messages and consumer-group positions are deleted. This cannot be undone.', action: 'Delete queue', typeToConfirm: name })) return;
    await api('/api/v1/resources/queues/' + seg(name), { method: 'DELETE' });
    toast(`Queue ${name} deleted.`);
    ctx.navigate('/queues');
  }

  showTotals();
  await Promise.all([partitions.reload(), activity()]);
  // a queue's detail is read live (every partition and cursor): every 10 s, not the usual 5
  ctx.every(async () => { await Promise.all([partitions.reload(), activity()]); }, 10000);
}

function button(text, tone, onclick) {
  return h('button', { type: 'button', class: tone, onclick: () => onclick() }, text);
}
