import { api } from '../lib/api.js';
import { h, link, replace } from '../lib/dom.js';
import { timeAgo } from '../lib/format.js';
import { dataTable } from '../lib/table.js';

export async function render(ctx) {
  const table = dataTable({
    label: 'Queues',
    searchLabel: 'Search queues',
    key: (q) => q.name,
    sort: 'name',
    columns: [
      { key: 'name', label: 'Queue', render: (q) => link('/queues/' + encodeURIComponent(q.name), q.name) },
      { key: 'namespace', label: 'Namespace' },
      { key: 'task', label: 'Task' },
      { key: 'partitions', label: 'Partitions', numeric: true },
      { key: 'pending', label: 'Pending', numeric: true, value: (q) => q.messages.pending },
      { key: 'processing', label: 'In flight', numeric: true, value: (q) => q.messages.processing },
      { key: 'completed', label: 'Consumed', numeric: true, value: (q) => q.messages.completed },
      { key: 'deadLetter', label: 'Dead letters', numeric: true, value: (q) => q.messages.deadLetter },
      { key: 'lastActivity', label: 'Last activity', value: (q) => q.lastActivity || '', render: (q) => timeAgo(h, q.lastActivity) },
    ],
    emptyText: 'No queue yet: push a message or POST /api/v1/configure.',
  });
  replace(ctx.el, h('div', { class: 'page-head' }, h('h1', null, 'Queues')), table.element);
  async function refresh() {
    const data = await api('/api/v1/resources/queues', { signal: ctx.signal });
    await table.update(data.queues);
  }
  await refresh();
  ctx.every(refresh);
}
