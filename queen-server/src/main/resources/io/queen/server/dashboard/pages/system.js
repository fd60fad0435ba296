import { api } from '../lib/api.js';
import { badge, cards, empty, field, h, replace, section, select } from '../lib/dom.js';
import { bytes, num, RANGES, rangeOf } from '../lib/format.js';
import { dataTable } from '../lib/table.js';
import { toast } from '../lib/toast.js';

export async function render(ctx) {
  const admin = ctx.can('admin');
  const switches = h('div', { class: 'switches' });
  const buffer = h('div');
  const range = select('range', RANGES.map(([k, label]) => [k, label]), ctx.query.get('range') || '24h');
  const removals = h('div');
  const pg = h('div');
  const config = h('div');
  replace(ctx.el,
    h('div', { class: 'page-head' }, h('h1', null, 'System')),
    h('div', { class: 'grid-2' },
      section('Maintenance', admin ? switches : empty('Maintenance switches need the admin role.')),
      section('File buffer', buffer)),
    section('Retention and eviction', field('Time range', range), removals),
    section('PostgreSQL', pg),
    section('Effective configuration', admin ? config : empty('The configuration is shown to admins only.')));

  function toggle(id, labelText, help, checked, onchange) {
    const input = h('input', { type: 'checkbox', role: 'switch', id, checked });
    input.addEventListener('change', async () => {
      input.disabled = true;
      try {
        await onchange(input.checked);
      } catch (e) {
        input.checked = !input.checked;
        throw e;
      } finally {
        input.disabled = false;
      }
    });
    return h('div', { class: 'switch' }, input, h('label', { for: id }, h('strong', null, labelText), h('span', { class: 'muted' }, help)));
  }

  async function maintenance() {
    if (!admin) {
      const b = await api('/api/v1/status/buffers', { signal: ctx.signal });
      showBuffer(b.buffer, b.dbHealthy);
      return;
    }
    const m = await api('/api/v1/system/maintenance', { signal: ctx.signal });
    if (!switches.contains(document.activeElement)) {
      replace(switches,
        toggle('push-maintenance', 'Push maintenance', 'Pushes go to each instance’s file buffer and replay when switched off.', m.maintenanceMode, async (on) => {
          const r = await api('/api/v1/system/maintenance', { method: 'POST', body: { enabled: on } });
          toast(r.message);
        }),
        toggle('pop-maintenance', 'Pop maintenance', 'Every pop answers at once with no message; nothing is leased.', m.popMaintenanceMode, async (on) => {
          const r = await api('/api/v1/system/maintenance/pop', { method: 'POST', body: { enabled: on } });
          toast(r.message);
        }));
    }
    showBuffer(m.buffer, m.bufferStats.dbHealthy);
  }

  function showBuffer(b, dbHealthy) {
    replace(buffer, b && b.enabled ? [
      cards([
        { label: 'Database', value: dbHealthy ? 'reachable' : 'unreachable', tone: dbHealthy ? null : 'bad' },
        { label: 'Waiting to replay', value: num(b.pendingMessages), tone: b.pendingMessages ? 'warn' : null },
        { label: 'On disk', value: bytes(b.bytesOnDisk) + ' of ' + bytes(b.maxBytes) },
        { label: 'Replayed', value: num(b.replayedMessages) },
        { label: 'Rejected', value: num(b.rejectedMessages), tone: b.rejectedMessages ? 'bad' : null },
      ]),
      h('p', { class: 'muted' }, 'Directory ', h('code', null, b.directory), b.replaying ? ' · replaying now' : ''),
    ] : empty('This server has no file buffer (FILE_BUFFER_DIR=none): pushes fail while PostgreSQL is away.'));
  }

  async function retention() {
    const { from, to } = rangeOf(range.value);
    const r = await api('/api/v1/analytics/retention', { params: { from, to }, signal: ctx.signal });
    const t = r.totals;
    const perKind = new Map();
    for (const s of r.series) {
      const k = s.queueName + '\u0000' + s.kind;
      perKind.set(k, { queue: s.queueName, kind: s.kind, count: (perKind.get(k)?.count || 0) + s.count });
    }
    const table = dataTable({
      label: 'Removals by queue and kind', key: (x) => x.queue + x.kind, sort: 'count', order: 'desc', searchable: false,
      columns: [{ key: 'queue', label: 'Queue' }, { key: 'kind', label: 'Kind' }, { key: 'count', label: 'Messages removed', numeric: true }],
      emptyText: 'Nothing was removed in this range.',
    });
    replace(removals, cards([
      { label: 'Retention (age)', value: num(t.retentionMsgs) },
      { label: 'Retention (completed)', value: num(t.completedRetentionMsgs) },
      { label: 'Eviction', value: num(t.evictionMsgs) },
      { label: 'All removals', value: num(t.totalMsgs) },
    ]), table.element);
    await table.update([...perKind.values()]);
  }
  range.addEventListener('change', () => { ctx.setQuery({ range: range.value }); retention(); });

  async function postgres() {
    const s = await api('/api/v1/analytics/postgres-stats', { signal: ctx.signal });
    const d = s.database;
    const tables = dataTable({
      label: 'Table sizes', key: (x) => x.table, sort: 'totalBytes', order: 'desc', searchable: false, pageSize: 20,
      columns: [
        { key: 'table', label: 'Table' },
        { key: 'liveRows', label: 'Live rows', numeric: true },
        { key: 'heapBytes', label: 'Heap', numeric: true, render: (x) => bytes(x.heapBytes) },
        { key: 'indexBytes', label: 'Indexes', numeric: true, render: (x) => bytes(x.indexBytes) },
        { key: 'totalBytes', label: 'Total', numeric: true, render: (x) => bytes(x.totalBytes) },
      ],
    });
    const queries = dataTable({
      label: 'Active queries', key: (x) => x.pid, sort: 'seconds', order: 'desc', searchable: false, pageSize: 20,
      columns: [
        { key: 'pid', label: 'PID', numeric: true },
        { key: 'state', label: 'State' },
        { key: 'application', label: 'Application' },
        { key: 'waitEvent', label: 'Waiting on', render: (x) => x.waitEvent || '–' },
        { key: 'seconds', label: 'Seconds', numeric: true },
        { key: 'query', label: 'Query', render: (x) => h('code', { class: 'query' }, x.query) },
      ],
      emptyText: 'No other query is running.',
    });
    replace(pg, cards([
      { label: 'Database', value: d.name },
      { label: 'Size', value: bytes(d.sizeBytes) },
      { label: 'Connections', value: num(d.connections) },
      { label: 'Cache hit ratio', value: s.databaseCache.hitRatio === null ? '–' : num(s.databaseCache.hitRatio) + ' %' },
      { label: 'Commits', value: num(d.commits) },
      { label: 'Rollbacks', value: num(d.rollbacks) },
      { label: 'Deadlocks', value: num(d.deadlocks), tone: d.deadlocks ? 'warn' : null },
      { label: 'Autovacuum', value: s.autovacuumEnabled ? 'on' : 'off', tone: s.autovacuumEnabled ? null : 'warn' },
    ]), h('h3', null, 'Queen’s tables'), tables.element, h('h3', null, 'Active queries'), queries.element);
    await tables.update(s.tableSizes);
    await queries.update(s.activeQueries);
  }

  async function settings() {
    if (!admin) return;
    const c = await api('/api/v1/system/config', { signal: ctx.signal });
    const table = dataTable({
      label: 'Effective configuration', key: (x) => x.name, searchLabel: 'Search settings', pageSize: 200,
      columns: [
        { key: 'name', label: 'Setting', render: (x) => h('code', null, x.name) },
        { key: 'value', label: 'Value', render: (x) => (x.value === '****' ? badge('masked', null) : String(x.value)) },
      ],
    });
    replace(config, h('p', { class: 'muted' }, 'Version ' + c.version + '. Secrets are masked by the server; they never reach the page.'), table.element);
    await table.update(Object.entries(c.config).map(([name, value]) => ({ name, value })));
  }

  await Promise.all([maintenance(), retention(), postgres(), settings()]);
  ctx.every(async () => { await Promise.all([maintenance(), postgres()]); });
}
