import { api } from '../lib/api.js';
import { empty, h, link, replace, section } from '../lib/dom.js';
import { num, pretty, time, timeAgo } from '../lib/format.js';
import { dataTable } from '../lib/table.js';
import { groupLabel } from './groups.js';

export async function render(ctx) {
  const name = ctx.query.get('name');
  const names = dataTable({
    label: 'Trace names',
    searchLabel: 'Search trace names',
    key: (t) => t.trace_name,
    sort: 'last_seen',
    order: 'desc',
    columns: [
      { key: 'trace_name', label: 'Trace name', render: (t) => link('/traces?name=' + encodeURIComponent(t.trace_name), t.trace_name) },
      { key: 'trace_count', label: 'Events', numeric: true },
      { key: 'message_count', label: 'Messages', numeric: true },
      { key: 'last_seen', label: 'Last seen', render: (t) => timeAgo(h, t.last_seen) },
    ],
    emptyText: 'No trace yet: consumers record them with POST /api/v1/traces and a traceNames list.',
  });
  const events = h('div');
  replace(ctx.el, h('div', { class: 'page-head' }, h('h1', null, name ? 'Trace ' + name : 'Traces')),
    name ? section('Timeline of ' + name, h('p', null, link('/traces', '← Every trace name')), events) : null,
    section('Trace names', names.element));
  const all = await api('/api/v1/traces/names', { params: { limit: 1000 }, signal: ctx.signal });
  await names.update(all.trace_names);
  if (!name) return;
  const found = await api('/api/v1/traces/by-name/' + encodeURIComponent(name), { params: { limit: 500 }, signal: ctx.signal });
  const list = found.traces.slice().sort((a, b) => a.created_at.localeCompare(b.created_at));
  replace(events, list.length ? [
    h('p', { class: 'muted' }, `${num(found.total)} event(s)` + (found.total > list.length ? `, the first ${num(list.length)} shown` : '') + '.'),
    h('ol', { class: 'timeline' }, list.map((t) => h('li', { class: 'event ' + (t.event_type || 'info') },
      h('div', { class: 'event-head' },
        h('time', { datetime: t.created_at }, time(t.created_at)), ' ', h('strong', null, t.event_type || 'info'), ' · ',
        link('/messages/' + encodeURIComponent(t.partition_id) + '/' + encodeURIComponent(t.transaction_id), t.queue_name + ' / ' + t.partition_name + ' / ' + t.transaction_id),
        t.consumer_group ? [' · ', groupLabel(t.consumer_group)] : null),
      h('pre', null, pretty(t.data))))),
  ] : empty('No event carries this trace name.'));
}
