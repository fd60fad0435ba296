import { api } from '../lib/api.js';
import { badge, cards, field, h, replace, section, select } from '../lib/dom.js';
import { RANGES, ago, num, rangeOf } from '../lib/format.js';
import { lagChart, lineChart, seconds } from '../lib/chart.js';
import { dataTable } from '../lib/table.js';

// lastSeen is the start of the newest minute an instance wrote (every 10 s): over two minutes
// means it stopped writing
const STALE_SECONDS = 150;

export async function render(ctx) {
  const range = ctx.query.get('range') || '1h';
  const picker = select('range', RANGES.map(([k, label]) => [k, label]), range);
  const totals = h('div');
  const throughput = lineChart({
    title: 'Messages per second',
    series: [{ label: 'Pushed' }, { label: 'Consumed' }, { label: 'Failed' }],
    data: [[], [], [], []],
  });
  const lag = lagChart('Push to delivery');
  ctx.onLeave(() => { throughput.destroy(); lag.destroy(); });
  const instances = dataTable({
    label: 'Instances',
    key: (w) => w.hostname + ':' + w.workerId,
    searchable: false,
    sort: 'lastSeen',
    order: 'desc',
    columns: [
      { key: 'hostname', label: 'Host' },
      { key: 'port', label: 'Port', render: (w) => String(w.port) },
      { key: 'workerId', label: 'Instance id' },
      { key: 'lastSeen', label: 'Last minute reported', render: (w) => h('time', { datetime: w.lastSeen }, ago(w.lastSeen)) },
      { key: 'health', label: 'Health', value: health, render: (w) => badge(health(w), health(w) === 'up' ? 'ok' : 'warn') },
    ],
    emptyText: 'No instance has written a heartbeat in this range yet.',
  });
  const here = h('p', { class: 'muted' });

  replace(ctx.el,
    h('div', { class: 'page-head' }, h('h1', null, 'Overview'), field('Time range', picker)),
    totals,
    h('div', { class: 'grid-2' }, section('Throughput', throughput.element), section('Lag', lag.element)),
    section('Instances', here, instances.element));

  picker.addEventListener('change', () => { ctx.setQuery({ range: picker.value }); refresh(); });

  async function refresh() {
    const { from, to } = rangeOf(picker.value);
    const [o, status, healthNow] = await Promise.all([
      api('/api/v1/resources/overview', { signal: ctx.signal }),
      api('/api/v1/status', { params: { from, to }, signal: ctx.signal }),
      api('/health', { signal: ctx.signal }).catch((e) => ({ status: 'unreachable', database: e.message })),
    ]);
    const m = o.messages;
    replace(totals, cards([
      { label: 'Queues', value: num(o.queues), href: '/queues' },
      { label: 'Partitions', value: num(o.partitions) },
      { label: 'Messages stored', value: num(m.total), href: '/messages' },
      { label: 'Pending', value: num(m.pending) },
      { label: 'In flight', value: num(m.processing) },
      { label: 'Dead letters', value: num(m.deadLetter), href: '/dlq', tone: m.deadLetter > 0 ? 'warn' : null },
      { label: 'Pushed / s (last minute)', value: num(o.throughput.ingestedPerSecond) },
      { label: 'Consumed / s (last minute)', value: num(o.throughput.processedPerSecond) },
    ]));
    const points = status.throughput;
    throughput.update([
      points.map((p) => seconds(p.timestamp)),
      points.map((p) => p.ingestedPerSecond),
      points.map((p) => p.processedPerSecond),
      points.map((p) => (p.ackFailed + p.dlqCount) / 60),
    ], { from, to });
    lag.update([
      points.map((p) => seconds(p.timestamp)),
      points.map((p) => p.avgLagMs),
      points.map((p) => p.maxLagMs),
    ], { from, to });
    here.textContent = `This server: ${healthNow.status}, database ${healthNow.database}` +
      (healthNow.version ? `, version ${healthNow.version}` : '') + `. Counts are at most ${num(o.statsAge)} s old.`;
    instances.update(status.workers);
  }
  await refresh();
  ctx.every(refresh);
}

function health(w) {
  const age = (Date.now() - new Date(w.lastSeen).getTime()) / 1000;
  return age <= STALE_SECONDS ? 'up' : 'silent';
}
