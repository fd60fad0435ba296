import { api, seg } from '../lib/api.js';
import { cards, empty, field, h, link, replace, section } from '../lib/dom.js';
import { duration, fromLocalInput, num, timeAgo, toLocalInput } from '../lib/format.js';
import { confirmAction } from '../lib/dialog.js';
import { dataTable } from '../lib/table.js';
import { toast } from '../lib/toast.js';
import { groupLabel } from './groups.js';

export async function render(ctx) {
  const name = decodeURIComponent(ctx.params[0]);
  const base = '/api/v1/consumer-groups/' + seg(name);
  const byQueue = h('div');
  const totals = h('div');
  const tables = new Map();
  replace(ctx.el,
    h('div', { class: 'page-head' },
      h('div', null, h('p', { class: 'crumbs' }, link('/groups', 'Consumer groups'), ' / '), h('h1', null, groupLabel(name))),
      ctx.can('admin') ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: () => removeEverywhere() }, 'Delete group')) : null),
    totals, byQueue);

  function queueSection(queue) {
    const table = dataTable({
      label: 'Partitions of ' + queue + ' read by ' + groupLabel(name),
      searchLabel: 'Search partitions',
      key: (p) => p.partition,
      sort: 'offsetLag',
      order: 'desc',
      columns: [
        { key: 'partition', label: 'Partition' },
        { key: 'offsetLag', label: 'Lag (messages)', numeric: true },
        { key: 'timeLagSeconds', label: 'Lag (time)', numeric: true, render: (p) => duration(p.timeLagSeconds) },
        { key: 'totalConsumed', label: 'Consumed', numeric: true },
        { key: 'lastConsumedAt', label: 'Last consumed', render: (p) => timeAgo(h, p.lastConsumedAt) },
        { key: 'leaseActive', label: 'Leased', render: (p) => (p.leaseActive ? 'yes' : 'no') },
      ],
      emptyText: 'No cursor on this queue yet.',
    });
    const when = h('input', { type: 'datetime-local', step: 1 });
    const seekEnd = h('button', { type: 'button', class: 'secondary' }, 'Seek to end');
    const seekTime = h('button', { type: 'button', class: 'secondary' }, 'Seek to time');
    const canWrite = ctx.can('read-write');
    seekEnd.addEventListener('click', () => seek(queue, { toEnd: true }, 'to the end'));
    seekTime.addEventListener('click', () => {
      const ts = fromLocalInput(when.value);
      if (!ts) { toast('Pick a date and time to seek to.', 'error'); when.focus(); return; }
      return seek(queue, { timestamp: ts }, 'to ' + when.value.replace('T', ' '));
    });
    const tools = h('div', { class: 'actions' },
      link('/queues/' + encodeURIComponent(queue), 'Queue ' + queue),
      canWrite ? [seekEnd, field('Resume after', when), seekTime] : null,
      ctx.can('admin') ? h('button', { type: 'button', class: 'danger', onclick: () => removeOn(queue) }, 'Delete from this queue') : null);
    const el = section('Queue ' + queue, tools, table.element);
    el.dataset.queue = queue;
    when.value = toLocalInput(new Date(Date.now() - 3600e3).toISOString());
    return { el, table };
  }

  async function seek(queue, body, what) {
    const r = await api(base + '/queues/' + seg(queue) + '/seek', { method: 'POST', body });
    toast(`${groupLabel(name)} on ${queue} moved ${what}: ${num(r.partitionsUpdated)} partition(s).`);
    await refresh();
  }

  async function removeOn(queue) {
    if (!await confirmAction({ title: `Delete ${groupLabel(name)} from ${queue}?`, message: 'Its positions on this queue are deleted; its next pop starts over by its subscription. Dead letters stay.', action: 'Delete', typeToConfirm: name })) return;
    await api(base + '/queues/' + seg(queue), { method: 'DELETE' });
    toast(`${groupLabel(name)} deleted from ${queue}.`);
    if (tables.size === 1) {
      ctx.navigate('/groups'); // it read nothing else: the group is gone
      return;
    }
    await refresh().catch((e) => { if (e.status === 404) ctx.navigate('/groups'); else throw e; });
  }

  async function removeEverywhere() {
    if (!await confirmAction({ title: `Delete ${groupLabel(name)}?`, message: 'Its positions and subscriptions on every queue are deleted. Dead letters stay.', action: 'Delete group', typeToConfirm: name })) return;
    await api(base, { method: 'DELETE' });
    toast(`${groupLabel(name)} deleted.`);
    ctx.navigate('/groups');
  }

  async function refresh() {
    const data = await api(base, { signal: ctx.signal });
    const queues = Object.keys(data).sort();
    let lag = 0;
    let partitions = 0;
    let maxTime = 0;
    for (const q of queues) {
      for (const p of data[q].partitions) {
        lag += p.offsetLag;
        partitions++;
        maxTime = Math.max(maxTime, p.timeLagSeconds || 0);
      }
    }
    replace(totals, cards([
      { label: 'Queues', value: num(queues.length) },
      { label: 'Partitions read', value: num(partitions) },
      { label: 'Lag (messages)', value: num(lag) },
      { label: 'Lag (time)', value: duration(maxTime) },
    ]));
    for (const [q, t] of tables) {
      if (!queues.includes(q)) { t.el.remove(); tables.delete(q); }
    }
    for (const q of queues) {
      if (!tables.has(q)) {
        const s = queueSection(q);
        tables.set(q, s);
        byQueue.append(s.el);
      }
      await tables.get(q).table.update(data[q].partitions);
    }
    if (!queues.length) replace(byQueue, empty('This group reads no queue.'));
  }
  await refresh();
  ctx.every(refresh);
}
